import Synchronization

/// Copies of bitwise-copyable values made of relaxed atomic word accesses, for the memory that
/// lock-free readers read while the shard's lock holder may be writing it.
///
/// A lock-free read validates afterwards, with the shard's sequence number, that nothing
/// changed under it (`ShardReadState`); what it read meanwhile may be torn and is then thrown
/// away. Reading memory another thread writes is a data race unless both sides use atomic
/// accesses, so every word such a reader may see is written and read through these helpers.
/// On x86-64 and arm64 a relaxed atomic load or store of an aligned word is an ordinary move:
/// the price is only that the compiler may not merge or elide them.
///
/// A type qualifies when it is trivially copyable (no references to retain, so a torn copy is
/// harmless bits) and its size is a whole number of aligned 8- or 4-byte words: `UInt64`,
/// `Int`, `Double`, `Int32` and structs of them. Other types are read under the lock.
@usableFromInline
enum RelaxedWords {
    /// Whether values of `T` can be copied word by word. Constant once specialized.
    @inlinable
    static func supports<T>(_: T.Type) -> Bool {
        let size = MemoryLayout<T>.size, alignment = MemoryLayout<T>.alignment
        guard _isPOD(T.self), size > 0 else { return false }
        return (size % 8 == 0 && alignment >= 8) || (size % 4 == 0 && alignment >= 4)
    }

    /// Whether `T` is copied in 8-byte words (else 4-byte words).
    @inlinable
    static func usesWideWords<T>(_: T.Type) -> Bool {
        MemoryLayout<T>.size % 8 == 0 && MemoryLayout<T>.alignment >= 8
    }

    /// Reads a `T` at `address` with relaxed atomic word loads. `T` must be supported.
    @inlinable @inline(__always)
    static func load<T>(_: T.Type, from address: UnsafeRawPointer) -> T {
        if MemoryLayout<T>.size == 8, usesWideWords(T.self) {
            return unsafeBitCast(word64(address).pointee.load(ordering: .relaxed), to: T.self)
        }
        return withUnsafeTemporaryAllocation(byteCount: MemoryLayout<T>.size, alignment: MemoryLayout<T>.alignment) { copy in
            if usesWideWords(T.self) {
                for offset in Swift.stride(from: 0, to: MemoryLayout<T>.size, by: 8) {
                    copy.storeBytes(of: word64(address + offset).pointee.load(ordering: .relaxed), toByteOffset: offset, as: UInt64.self)
                }
            } else {
                for offset in Swift.stride(from: 0, to: MemoryLayout<T>.size, by: 4) {
                    copy.storeBytes(of: word32(address + offset).pointee.load(ordering: .relaxed), toByteOffset: offset, as: UInt32.self)
                }
            }
            return copy.load(as: T.self)
        }
    }

    /// Writes `value` at `address` with relaxed atomic word stores. `T` must be supported.
    @inlinable @inline(__always)
    static func store<T>(_ value: T, to address: UnsafeMutableRawPointer) {
        if MemoryLayout<T>.size == 8, usesWideWords(T.self) {
            word64(address).pointee.store(unsafeBitCast(value, to: UInt64.self), ordering: .relaxed)
            return
        }
        withUnsafeBytes(of: value) { bytes in
            if usesWideWords(T.self) {
                for offset in Swift.stride(from: 0, to: MemoryLayout<T>.size, by: 8) {
                    word64(address + offset).pointee.store(bytes.load(fromByteOffset: offset, as: UInt64.self), ordering: .relaxed)
                }
            } else {
                for offset in Swift.stride(from: 0, to: MemoryLayout<T>.size, by: 4) {
                    word32(address + offset).pointee.store(bytes.load(fromByteOffset: offset, as: UInt32.self), ordering: .relaxed)
                }
            }
        }
    }

    /// Whether a `T` is one aligned 8- or 4-byte word, which a reader loads whole: it sees a
    /// store of it entirely or not at all, never torn. Constant once specialized.
    @inlinable
    static func isOneWord<T>(_: T.Type) -> Bool {
        guard supports(T.self) else { return false }
        return MemoryLayout<T>.size == 8 ? usesWideWords(T.self) : MemoryLayout<T>.size == 4
    }

    /// Writes a one-word `value` (``isOneWord(_:)``) at `address` with a releasing store: a
    /// reader that loads it and then issues an acquire fence also sees every write the lock
    /// holder made before it.
    @inlinable @inline(__always)
    static func storeReleasing<T>(_ value: T, to address: UnsafeMutableRawPointer) {
        if MemoryLayout<T>.size == 8 {
            word64(address).pointee.store(unsafeBitCast(value, to: UInt64.self), ordering: .releasing)
        } else {
            word32(address).pointee.store(unsafeBitCast(value, to: UInt32.self), ordering: .releasing)
        }
    }

    /// The 8-byte word at `address`, as an atomic.
    @inlinable @inline(__always)
    static func word64(_ address: UnsafeRawPointer) -> UnsafePointer<Atomic<UInt64>> {
        address.assumingMemoryBound(to: Atomic<UInt64>.self)
    }

    /// The 4-byte word at `address`, as an atomic.
    @inlinable @inline(__always)
    static func word32(_ address: UnsafeRawPointer) -> UnsafePointer<Atomic<UInt32>> {
        address.assumingMemoryBound(to: Atomic<UInt32>.self)
    }

    /// The 4-byte signed word at `address`, as an atomic.
    @inlinable @inline(__always)
    static func signedWord32(_ address: UnsafeRawPointer) -> UnsafePointer<Atomic<Int32>> {
        address.assumingMemoryBound(to: Atomic<Int32>.self)
    }
}
