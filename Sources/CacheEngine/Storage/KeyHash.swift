/// A key's hash, and the one place that decides which of its bits mean what.
///
/// `raw` is 64 bits seeded per process: for fixed-width integer keys, a multiply-xorshift
/// mix of the key and a per-process seed (`IntegerKeyHash`); for every other key, its
/// `hashValue` from the standard library's hasher. Every structure that needs something
/// derived from a key's hash asks this type, so
/// two consumers never share bits by accident and no consumer ever sees a narrower hash than
/// another (a buffered hit carries the whole hash to the policy, as the eviction path does).
///
/// Storage reads `raw` directly, as that costs nothing on the read path. The shard takes the
/// top bits, so within one shard those bits are the same for every key; nothing else that
/// works within a shard may use them. The policy's tables work on two further words, `policy`
/// and `policyExtra`, each a bijective remix of the one before (`SplitMix64.mix`): every
/// one of their bits varies within a shard, whatever the shard count.
///
/// | consumer | word | bits |
/// |---|---|---|
/// | shard (`Cache.shardIndex`) | raw | the top log2(shards): 52...63 at 4,096 shards |
/// | index position (`SlotStorage.probe`) | raw | the low log2(index size): 0...29 at most |
/// | preferred slot (`SlotStorage+Placement`) | raw | 20...51, multiplied by the slab size |
/// | frequency sketch (block and counters) | policy | 0...31 |
/// | admission judge slot | policy | 32...54 (2^23 slots at most) |
/// | admission judge tag | policy | 55...62 |
/// | ghost filter slot | policyExtra | 0...27 (2^28 slots at most) |
/// | admission judge fingerprint | policyExtra | 28...43 |
/// | ghost filter fingerprint | policyExtra | 48...63 |
///
/// The preferred slot's multiply-shift rests mostly on the top log2(slots) bits of its range,
/// and the index position on the low log2(index size) bits of `raw`: the two stay apart until
/// a single shard holds about 2^25 entries.
@usableFromInline
package struct KeyHash: Equatable, Sendable {
    /// The key's 64-bit hash (`init(_:)`).
    @usableFromInline let raw: UInt64

    @inlinable
    init(raw: UInt64) {
        self.raw = raw
    }

    /// The hash of `key`. O(1) for integer keys (a few multiplies); otherwise the cost of
    /// `hashValue`. In specialized code the choice between the two is made at compile time.
    @inlinable
    init<Key: Hashable>(_ key: Key) {
        if let bits = IntegerKeyHash.bits(of: key) {
            raw = IntegerKeyHash.mix(bits)
        } else {
            raw = UInt64(bitPattern: Int64(key.hashValue))
        }
    }

    // MARK: Storage (raw)

    /// The shard for this key, with `shift` = 64 - log2(shards). O(1).
    @inlinable
    func shard(shift: Int) -> Int {
        shift >= 64 ? 0 : Int(truncatingIfNeeded: raw >> UInt64(shift))
    }

    /// The first index position to probe, in a table of `mask + 1` positions.
    @inlinable
    func indexPosition(mask: Int) -> Int {
        Int(truncatingIfNeeded: raw) & mask
    }

    /// The key's preferred slot in a slab of `slots` slots: a multiply-shift of bits 20...51.
    @inlinable
    func preferredSlot(slots: Int) -> Int {
        Int(truncatingIfNeeded: (((raw >> 20) & 0xFFFF_FFFF) &* UInt64(truncatingIfNeeded: slots)) >> 32)
    }

    // MARK: Policy

    /// The first word the policy's tables draw on.
    @inlinable
    var policy: UInt64 { SplitMix64.mix(raw) }

    /// The second word the policy's tables draw on.
    @inlinable
    var policyExtra: UInt64 { SplitMix64.mix(policy) }

    /// The 32 bits the frequency sketch spreads over its block and counters.
    @inlinable
    var sketchBits: UInt32 { UInt32(truncatingIfNeeded: policy) }

    /// The admission judge's slot in a table of `mask + 1` slots (at most 2^23).
    @inlinable
    func judgeSlot(mask: Int) -> Int {
        Int(truncatingIfNeeded: policy >> 32) & mask
    }

    /// The 8-bit tag that confirms a dropped key's entry in the judge.
    @inlinable
    var judgeTag: UInt32 { UInt32(truncatingIfNeeded: policy >> 55) & 0xFF }

    /// The 16-bit fingerprint that identifies a key in a judged pair.
    @inlinable
    var judgeFingerprint: UInt32 { UInt32(truncatingIfNeeded: policyExtra >> 28) & 0xFFFF }

    /// The ghost filter's slot in a table of `mask + 1` slots (at most 2^28).
    @inlinable
    func ghostSlot(mask: Int) -> Int {
        Int(truncatingIfNeeded: policyExtra) & mask
    }

    /// The ghost filter's 16-bit fingerprint: never 0, which marks an empty slot.
    @inlinable
    var ghostFingerprint: UInt16 {
        let bits = UInt16(truncatingIfNeeded: policyExtra >> 48)
        return bits == 0 ? 1 : bits
    }
}

/// A slot and its key's whole hash: a hit waiting in a shard's read buffer (so the policy
/// applies it with the same bits as every other path), or a victim the policy hands the shard
/// (so the shard finds its index position without hashing the key again).
@usableFromInline
struct HashedSlot: Sendable {
    @usableFromInline var hash: KeyHash
    @usableFromInline var slot: Int32

    @inlinable
    init(slot: Int32, hash: KeyHash) {
        self.slot = slot
        self.hash = hash
    }
}
