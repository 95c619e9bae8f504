/// The shard's side of lock-free reads: applying the hits its stripes buffered, and counting
/// the lookups answered without the lock.
extension ShardStore {
    /// Moves every stripe's buffered hits into the policy's read buffer, applying it each time
    /// it fills (so the drain keeps its prefetching). A record from an older slab (before a
    /// rebuild renumbered the slots) or of a slot freed since is skipped. Under the shard lock.
    /// O(records buffered).
    @inlinable
    mutating func drainReadStripes() {
        guard let readState else { return }
        let generation = UInt32(truncatingIfNeeded: storage.generation)
        let slabCapacity = storage.slabCapacity
        let links = storage.links
        // Below half full a hit only marks its slot (`ShardPolicy.deferHit`), so the records
        // themselves are not touched.
        let defers = policy.defersHits
        for index in 0..<readState.pointee.stripeCount {
            readState.pointee.stripe(index).drain { slot, hash, recordedGeneration in
                guard recordedGeneration == generation, slot >= 0, Int(slot) < slabCapacity else { return }
                if defers { return policy.deferHit(slot) }
                guard links[Int(slot)].tag != SlotTag.free else { return }
                if policy.bufferRead(slot, hash: hash) { policy.drainReads(slots: storage.policySlots) }
            }
        }
        policy.drainReads(slots: storage.policySlots)
    }

    /// Hits and misses of every lookup, with and without the lock. O(stripes).
    @inlinable
    var lookupCounts: (hits: Int, misses: Int) {
        guard let readState else { return (counters.hits, counters.misses) }
        let stripes = readState.pointee.stripeTotals()
        return (counters.hits &+ stripes.hits, counters.misses &+ stripes.misses)
    }
}
