import CPrefetch
import Synchronization

/// What one shard shows the readers that take no lock, and how its lock holder tells them it
/// is changing it.
///
/// It publishes the addresses and sizes of the shard's slab, index and the deadlines readers
/// check, and guards them and the memory they point to with a sequence lock: the lock holder
/// makes `sequence` odd before it changes anything a reader may look at (a key, a value, a
/// slot's tag, an index entry, the published addresses) and even again after, except for a
/// one-word value replaced in place (`SlotStorage.replacesInPlaceForReaders`). A reader notes
/// an even sequence, reads, and keeps what it read only if the sequence is still the same
/// afterwards (`Cache+LockFreeReads.swift`). Changes readers never look at, such as the policy relinking
/// its queues, happen without touching the sequence.
///
/// Memory the lock holder replaces (a grown slab, a rebuilt index) is not freed while a reader
/// may still hold its address: it is retired, and freed once every read stripe has been seen
/// without a reader in flight (``allStripesQuiescent()``).
///
/// Lives in the shard table, on cache lines of its own; written only under the shard's lock.
@usableFromInline
struct ShardReadState: ~Copyable {
    /// The sequence lock: odd while the lock holder changes what readers see.
    @usableFromInline let sequence = Atomic<UInt64>(0)
    /// The slab's address.
    @usableFromInline let records = Atomic<UInt>(0)
    /// The slab's size in slots.
    @usableFromInline let slabCapacity = Atomic<Int>(0)
    /// The index's address: an array of `Int32` slot numbers, ``indexEntryBytes`` apart.
    @usableFromInline let table = Atomic<UInt>(0)
    /// The index's size minus one.
    @usableFromInline let tableMask = Atomic<Int>(0)
    /// The address of the slots' deadlines (`Int64.max`: none), or 0 while no entry of the
    /// shard has had one.
    @usableFromInline let deadlines = Atomic<UInt>(0)
    /// Incremented by each slab rebuild, which renumbers slots: a buffered hit from an older
    /// slab is stale.
    @usableFromInline let slabGeneration = Atomic<UInt32>(0)
    /// The shard's read stripes (`ReadStripe`), `stripeMask + 1` of them.
    @usableFromInline let stripes: UnsafeMutableRawPointer
    @usableFromInline let stripeMask: Int

    @usableFromInline
    init(stripes: UnsafeMutableRawPointer, stripeCount: Int) {
        self.stripes = stripes
        self.stripeMask = stripeCount - 1
    }

    /// Stripe `index` (masked to the stripe count).
    @inlinable @inline(__always)
    func stripe(_ index: Int) -> UnsafePointer<ReadStripe> {
        UnsafePointer((stripes + (index & stripeMask) &* ReadStripe.stride).assumingMemoryBound(to: ReadStripe.self))
    }

    /// Bytes per index position, for those who reach the index through its published address.
    @inlinable
    static var indexEntryBytes: Int { MemoryLayout<Int32>.stride }

    /// The number of stripes.
    @inlinable
    var stripeCount: Int { stripeMask + 1 }

    /// Hints the CPU to fetch what an operation on `hash` under the shard's lock loads first:
    /// the record the key prefers in the published slab (records `stride` bytes apart), for
    /// writing. The index is not hinted: most operations find their key in a preferred slot and
    /// never load it. Called before the lock is taken: taking
    /// it is an atomic read-modify-write, which no later load may pass, so without the hint
    /// those memory latencies would only start once the lock is held.
    ///
    /// A hint only: the words are loaded relaxed and unchecked, so they may belong to
    /// different slabs or to memory already freed, and the lines fetched may be the wrong ones.
    /// A prefetch never faults and changes nothing, so the worst case is a wasted fetch. O(1).
    @inlinable @inline(__always)
    func prefetchForLockedAccess(_ hash: KeyHash, stride: Int) {
        guard let slab = UnsafeRawPointer(bitPattern: records.load(ordering: .relaxed)) else { return }
        cprefetch_for_write(slab + hash.preferredSlot(slots: slabCapacity.load(ordering: .relaxed)) &* stride)
    }

    // MARK: The lock holder's side

    /// Makes the sequence odd: readers that overlap what follows will retry under the lock.
    @inlinable @inline(__always)
    func beginWrite() {
        let current = sequence.load(ordering: .relaxed)
        sequence.store(current &+ 1, ordering: .relaxed)
        // Orders the odd sequence before every store that follows: a reader that sees any of
        // them sees the sequence changed when it checks again.
        atomicMemoryFence(ordering: .releasing)
    }

    /// Makes the sequence even again, releasing the writes made since ``beginWrite()``.
    @inlinable @inline(__always)
    func endWrite() {
        let current = sequence.load(ordering: .relaxed)
        sequence.store(current &+ 1, ordering: .releasing)
    }

    /// Publishes the slab and index (inside a write section, or before any reader exists).
    @inlinable
    func publish(records: UnsafeMutableRawPointer, slabCapacity: Int, table: UnsafeMutablePointer<Int32>, tableMask: Int,
                 deadlines: UnsafeMutablePointer<Int64>?, generation: Int) {
        self.deadlines.store(deadlines.map { UInt(bitPattern: $0) } ?? 0, ordering: .releasing)
        self.records.store(UInt(bitPattern: records), ordering: .releasing)
        self.slabCapacity.store(slabCapacity, ordering: .releasing)
        self.table.store(UInt(bitPattern: table), ordering: .releasing)
        self.tableMask.store(tableMask, ordering: .releasing)
        self.slabGeneration.store(UInt32(truncatingIfNeeded: generation), ordering: .releasing)
    }

    /// Whether every stripe has been seen with no reader in flight since the call began: a
    /// reader that started before the call has finished, and one that starts after sees what
    /// was published before it. Memory retired before the call can then be freed. O(stripes).
    @usableFromInline
    func allStripesQuiescent() -> Bool {
        // Pairs with the reader's sequentially consistent entry: either this call sees the
        // reader entered, or the reader sees the addresses published before this call.
        atomicMemoryFence(ordering: .sequentiallyConsistent)
        for index in 0..<stripeCount where !stripe(index).pointee.isQuiescent { return false }
        return true
    }

    // MARK: Counts

    /// The hits, misses and dropped records of every stripe, summed.
    @usableFromInline
    func stripeTotals() -> (hits: Int, misses: Int, dropped: Int) {
        var totals = (hits: 0, misses: 0, dropped: 0)
        for index in 0..<stripeCount {
            let stripe = stripe(index)
            totals.hits &+= Int(truncatingIfNeeded: stripe.pointee.hits.load(ordering: .relaxed))
            totals.misses &+= Int(truncatingIfNeeded: stripe.pointee.misses.load(ordering: .relaxed))
            totals.dropped &+= Int(truncatingIfNeeded: stripe.pointee.dropped.load(ordering: .relaxed))
        }
        return totals
    }
}
