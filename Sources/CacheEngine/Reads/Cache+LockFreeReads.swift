import CPrefetch
import CThreadIndex
import Synchronization

/// Reads that take no lock: an optimistic, version-checked read of a shard's slab.
///
/// A read announces itself on its thread's stripe, notes the shard's sequence (even: nobody is
/// changing the shard), loads the published slab and index addresses, finds the key (its
/// preferred slots first, then the index), copies the value, and checks that the sequence has
/// not moved. If it has, or the entry is a cached absence or at its deadline, the read gives
/// up and takes the lock, which answers it exactly as before. A cache with a time to idle never
/// reads this way (a read moves the entry's deadline: a write), nor one whose keys or values
/// are not plain words (``readsWithoutLock``). A hit is recorded in the stripe's lossy buffer for the policy.
///
/// Every word read here is read with a relaxed atomic load and written by the lock holder with
/// a relaxed atomic store (`RelaxedWords`), so a read that overlaps a write sees torn values
/// but never races; the sequence check throws such a read away. A one-word value replaced in
/// place is stored with release ordering and no sequence change: the read copies it whole, old
/// or new, and its closing acquire fence orders it after the lock holder's earlier writes. A
/// slot number read from the index is checked against the slab size before use, and probing is
/// bounded by the index size, so even torn values cannot send a reader outside the memory it
/// loaded. That memory
/// stays allocated until the reader has finished (`ShardReadState.allStripesQuiescent`).
extension Cache {
    /// Whether this cache's keys and values can be read without the lock: both are trivially
    /// copyable in whole words (`RelaxedWords`). Constant once specialized; a given cache also
    /// needs no time to idle (``readsLockFree``).
    @inlinable
    static var readsWithoutLock: Bool {
        RelaxedWords.supports(Key.self) && RelaxedWords.supports(Value.self)
    }

    /// Read stripes per shard: one per core, a power of two, at most 8.
    static func stripesPerShard(cores: Int = ProcessorCount.online) -> Int {
        min(8, max(1, cores).nextPowerOfTwo)
    }

    /// Lookups answered without the lock and hit records the stripes dropped, summed over the
    /// shards (each stripe's counters read once, without locks). O(shards × stripes).
    @_spi(Benchmark)
    public var lockFreeReads: (hits: Int, misses: Int, dropped: Int) {
        var totals = (hits: 0, misses: 0, dropped: 0)
        for index in 0..<shardCount {
            let shard = shards.readState(index).pointee.stripeTotals()
            totals.hits += shard.hits
            totals.misses += shard.misses
            totals.dropped += shard.dropped
        }
        return totals
    }

    /// Looks `key` up without the shard lock: the verdict, or nil when the read must take the
    /// lock instead (always so for a key not found, unless `answersMisses`). O(1) expected;
    /// never blocks.
    @inlinable
    func lookupWithoutLock(_ key: Key, hash: KeyHash, answersMisses: Bool = true) -> CacheLookup<Value>? {
        let shard = shardIndex(hash)
        let state = shards.readState(shard)
        let stripe = state.pointee.stripe(Int(cthreadindex_current()))
        // Announce the read before loading any address (see `allStripesQuiescent`): with the
        // lock holder's fence, either it sees this reader entered or this load sees the
        // sequence of its last change. Sequentially consistent loads are plain moves on x86-64.
        stripe.pointee.entered.wrappingAdd(1, ordering: .sequentiallyConsistent)
        let start = state.pointee.sequence.load(ordering: .sequentiallyConsistent)
        guard start & 1 == 0 else { return abandon(stripe) }
        let recordsBits = state.pointee.records.load(ordering: .acquiring)
        let slabCapacity = state.pointee.slabCapacity.load(ordering: .acquiring)
        let tableBits = state.pointee.table.load(ordering: .acquiring)
        let tableMask = state.pointee.tableMask.load(ordering: .acquiring)
        let generation = state.pointee.slabGeneration.load(ordering: .acquiring)
        let deadlinesBits = state.pointee.deadlines.load(ordering: .acquiring)
        // The layout is only trusted from one even sequence: check before dereferencing it.
        atomicMemoryFence(ordering: .acquiring)
        guard state.pointee.sequence.load(ordering: .relaxed) == start,
              let records = UnsafeRawPointer(bitPattern: recordsBits),
              let table = UnsafeRawPointer(bitPattern: tableBits) else { return abandon(stripe) }

        typealias Storage = SlotStorage<Key, Value>
        let stride = Storage.recordStride
        /// The tag of `slot` if it holds `key`, else nil.
        func tag(ifHolding slot: Int) -> UInt8? {
            let record = records + slot &* stride
            let packed = RelaxedWords.word32(record + Storage.linkOffset).pointee.load(ordering: .relaxed)
            let tag = UInt8(truncatingIfNeeded: packed >> 29)
            guard tag != SlotTag.free, RelaxedWords.load(Key.self, from: record) == key else { return nil }
            return tag
        }
        var found = -1
        var foundTag: UInt8 = 0
        // The preferred slots first: a hit there never fetches the index line.
        var position = hash.indexPosition(mask: tableMask)
        let preferred = hash.preferredSlot(slots: slabCapacity)
        for offset in 0..<Storage.placementWidth {
            let slot = Storage.slot(offset, from: preferred, slots: slabCapacity)
            if let tag = tag(ifHolding: slot) {
                (found, foundTag) = (slot, tag)
                break
            }
        }
        if found < 0 {
            var probed = 0
            while true {
                let entry = RelaxedWords.signedWord32(table + position &* ShardReadState.indexEntryBytes).pointee.load(ordering: .relaxed)
                if entry == Storage.emptySlot { break }
                if entry >= 0, Int(entry) < slabCapacity, let tag = tag(ifHolding: Int(entry)) {
                    (found, foundTag) = (Int(entry), tag)
                    break
                }
                probed &+= 1
                guard probed <= tableMask else { return abandon(stripe) }
                position = (position &+ 1) & tableMask
            }
        }
        guard found >= 0 else {
            guard answersMisses, isUnchanged(state, since: start) else { return abandon(stripe) }
            stripe.pointee.misses.wrappingAdd(1, ordering: .releasing)
            return .miss
        }
        guard foundTag & SlotTag.absent == 0 else { return abandon(stripe) }
        if let deadlines = UnsafeRawPointer(bitPattern: deadlinesBits) {
            // An entry at or past its deadline is left to the lock, which removes it.
            let deadline = Int64(bitPattern: RelaxedWords.word64(deadlines + found &* 8).pointee.load(ordering: .relaxed))
            if deadline != .max, deadline <= clock.nanoseconds() { return abandon(stripe) }
        }
        let value = RelaxedWords.load(Value.self, from: records + found &* stride + Storage.valueOffset)
        guard isUnchanged(state, since: start), !coherence.isPastDeadline(clock) else { return abandon(stripe) }

        let slot = Int32(truncatingIfNeeded: found)
        let recorded = stripe.record(slot: slot, hash: hash, generation: generation)
        stripe.pointee.hits.wrappingAdd(1, ordering: .releasing)
        if !recorded {
            // The buffer is full: apply it if the shard is free, else drop this record.
            if applyReadStripes(shard) {
                _ = stripe.record(slot: slot, hash: hash, generation: generation)
            } else {
                stripe.pointee.dropped.wrappingAdd(1, ordering: .relaxed)
            }
        } else if stripe.isFull {
            _ = applyReadStripes(shard)
        }
        return .hit(value)
    }

    /// Whether the shard's sequence is still `start`: nothing the reader loaded since it
    /// noted `start` has changed.
    @inlinable @inline(__always)
    func isUnchanged(_ state: UnsafePointer<ShardReadState>, since start: UInt64) -> Bool {
        atomicMemoryFence(ordering: .acquiring)
        return state.pointee.sequence.load(ordering: .relaxed) == start
    }

    /// Ends a lock-free read that could not be answered; the caller takes the lock.
    @inlinable
    func abandon(_ stripe: UnsafePointer<ReadStripe>) -> CacheLookup<Value>? {
        stripe.pointee.abandoned.wrappingAdd(1, ordering: .releasing)
        return nil
    }

    /// Applies the shard's read stripes to its policy if its lock is free right now; returns
    /// whether it was. Never waits.
    @inlinable @inline(never)
    func applyReadStripes(_ shard: Int) -> Bool {
        let removed: [RemovedEntry<Key, Value>]? = shards[shard].withLockIfAvailable { store in
            store.drainReads()
            store.maintain()
            return store.takeRemovals()
        }
        guard let removed else { return false }
        deliver(removed)
        return true
    }
}
