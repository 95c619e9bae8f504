/// The hash of fixed-width integer keys, the commonest keys of a cache: the key's bits mixed
/// with a per-process seed by the SplitMix64 finaliser, a bijection whose every output bit
/// depends on every input bit. It costs two multiplies where the standard library's SipHash
/// costs a dozen rounds. The seed changes the layout from one process to the next, as the
/// standard library's does (and honours `SWIFT_DETERMINISTIC_HASHING`), but the mix is not a
/// keyed cryptographic hash: where an adversary picks the integer keys, wrap them in a type of
/// their own, which hashes through `hashValue`.
@usableFromInline
enum IntegerKeyHash {
    /// The per-process seed, drawn from the standard library's per-process hasher seed.
    @usableFromInline
    static let seed: UInt64 = {
        var hasher = Hasher()
        hasher.combine(0x6361_6368_6574_6F70 as UInt64)
        return UInt64(bitPattern: Int64(hasher.finalize())) | 1
    }()

    /// The key's 64 bits, for the integer types this hash covers; nil for any other key.
    /// Specialized for a concrete key type, it folds to a constant branch.
    @inlinable @inline(__always)
    static func bits<Key: Hashable>(of key: Key) -> UInt64? {
        if Key.self == UInt64.self { return unsafeBitCast(key, to: UInt64.self) }
        if Key.self == Int.self { return UInt64(bitPattern: Int64(unsafeBitCast(key, to: Int.self))) }
        if Key.self == Int64.self { return UInt64(bitPattern: unsafeBitCast(key, to: Int64.self)) }
        if Key.self == UInt.self { return UInt64(unsafeBitCast(key, to: UInt.self)) }
        if Key.self == UInt32.self { return UInt64(unsafeBitCast(key, to: UInt32.self)) }
        if Key.self == Int32.self { return UInt64(UInt32(bitPattern: unsafeBitCast(key, to: Int32.self))) }
        return nil
    }

    /// The seeded mix of an integer key's bits.
    @inlinable @inline(__always)
    static func mix(_ bits: UInt64) -> UInt64 {
        SplitMix64.mix(bits ^ seed)
    }
}
