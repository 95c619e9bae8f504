import Synchronization

/// One stripe of a shard's lock-free reads: the counters of the readers that use it and a
/// small buffer of the hits they have not yet reported to the policy.
///
/// A shard has one stripe per core (a power of two, at most 8), each on cache lines of its
/// own, and a thread always uses stripe `thread number & mask` (`CThreadIndex`). So the first
/// threads of a process write to different lines, and a read writes nothing another core's
/// reader reads: reads scale with cores instead of passing a lock's cache line between them.
///
/// The buffer is lossy, as Caffeine's read buffers are: a hit is appended with plain (relaxed)
/// stores, and when the buffer is full the reader applies every stripe of its shard to the
/// policy if the shard's lock is free at that moment, and otherwise drops the record and
/// counts it in `dropped`. One thread alone always finds the lock free and drops nothing;
/// records are dropped only while another thread holds the shard. Two threads that share a
/// stripe may overwrite each other's record; the policy tolerates a stale or mismatched
/// record (it checks the slot is live and from the current slab), as it tolerates a dropped one.
///
/// The counters: `entered` counts reads begun, and `hits`, `misses` and `abandoned` (reads
/// that found the shard changing and went to the lock) count reads finished. Their difference
/// is the number of readers in flight, which decides when retired memory may be freed.
@usableFromInline
struct ReadStripe: ~Copyable {
    /// Reads begun (incremented with sequential consistency, before any address is read).
    @usableFromInline let entered = Atomic<UInt64>(0)
    /// Reads finished with a hit.
    @usableFromInline let hits = Atomic<UInt64>(0)
    /// Reads finished with a miss.
    @usableFromInline let misses = Atomic<UInt64>(0)
    /// Reads that gave up and took the lock instead (counted there as a hit or a miss).
    @usableFromInline let abandoned = Atomic<UInt64>(0)
    /// Hits not reported to the policy because the buffer was full and the shard busy.
    @usableFromInline let dropped = Atomic<UInt64>(0)
    /// Records in the buffer.
    @usableFromInline let recorded = Atomic<Int>(0)

    /// Records a stripe holds before its shard applies them.
    @inlinable
    static var capacity: Int { 64 }

    /// Bytes from a stripe's start to its first record.
    @inlinable
    static var recordsOffset: Int { 64 }

    /// Bytes from one stripe to the next: the counters' line and 16 bytes per record, rounded
    /// to whole 128-byte line pairs.
    @inlinable
    static var stride: Int { (recordsOffset + capacity * 16 + 127) / 128 * 128 }

    /// Whether no reader is in flight on this stripe at this moment.
    var isQuiescent: Bool {
        // Finished first, then begun: if the two agree, there was an instant with no reader
        // in flight. Acquiring pairs with each reader's releasing finish, so its reads of old
        // memory come before whatever the caller frees next.
        let finished = hits.load(ordering: .acquiring) &+ misses.load(ordering: .acquiring)
            &+ abandoned.load(ordering: .acquiring)
        return entered.load(ordering: .acquiring) == finished
    }
}

/// The record buffer, reached through the stripe's address (it follows the counters in memory).
extension UnsafePointer where Pointee == ReadStripe {
    /// The two words of record `index`: the key's hash, and the slot with the slab generation.
    @inlinable @inline(__always)
    func recordWords(_ index: Int) -> (hash: UnsafePointer<Atomic<UInt64>>, slot: UnsafePointer<Atomic<UInt64>>) {
        let base = UnsafeRawPointer(self) + ReadStripe.recordsOffset + index &* 16
        return (RelaxedWords.word64(base), RelaxedWords.word64(base + 8))
    }

    /// Appends a hit; returns false when the buffer is full (nothing recorded).
    @inlinable @inline(__always)
    func record(slot: Int32, hash: KeyHash, generation: UInt32) -> Bool {
        let count = pointee.recorded.load(ordering: .relaxed)
        guard count < ReadStripe.capacity else { return false }
        let words = recordWords(count)
        words.hash.pointee.store(hash.raw, ordering: .relaxed)
        words.slot.pointee.store(UInt64(UInt32(bitPattern: slot)) | UInt64(generation) << 32, ordering: .relaxed)
        pointee.recorded.store(count &+ 1, ordering: .releasing)
        return true
    }

    /// Whether the buffer is full.
    @inlinable
    var isFull: Bool { pointee.recorded.load(ordering: .relaxed) >= ReadStripe.capacity }

    /// Hands each buffered record to `body` and empties the buffer (under the shard lock).
    @inlinable
    func drain(_ body: (Int32, KeyHash, UInt32) -> Void) {
        let count = min(pointee.recorded.load(ordering: .acquiring), ReadStripe.capacity)
        guard count > 0 else { return }
        for index in 0..<count {
            let words = recordWords(index)
            let packed = words.slot.pointee.load(ordering: .relaxed)
            body(Int32(bitPattern: UInt32(truncatingIfNeeded: packed)), KeyHash(raw: words.hash.pointee.load(ordering: .relaxed)),
                 UInt32(truncatingIfNeeded: packed >> 32))
        }
        pointee.recorded.store(0, ordering: .relaxed)
    }
}
