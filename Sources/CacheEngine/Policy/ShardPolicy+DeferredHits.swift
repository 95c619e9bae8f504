/// Hits on a shard below half full: marked, not reordered, until the shard reaches half full.
///
/// Below half full nothing is evicted, and the frequency sketch does not count yet (it is sized
/// at half full, as Caffeine's is). An exact reorder there buys nothing the shard will use
/// soon, and it costs the most of any part of a hit: it relinks the entry's two queue
/// neighbours, whose records are cold. So while the shard is below half full, a drained hit only
/// sets the entry's bit in `ReferenceMarks`, a bitmap apart from the records. When the shard
/// reaches half full, `settleDeferredHits` applies the marks in one pass over the queues, as
/// the hits would have been applied: a marked window or protected entry moves to its queue's
/// newest end, a marked probation entry is promoted to protected. From then on every hit
/// reorders at once, as before. Entries read while the shard was small therefore still
/// outlive those never read once it fills; what is lost is only the order among the entries
/// read, which the pass keeps in queue order rather than in the order of their last reads
/// (a CLOCK's second chance instead of an exact LRU, for the hits of the first half-fill).
///
/// The window overflows into probation long before half full; its oldest entry, if marked,
/// gets the same second chance there (`evictFromWindow`): it moves to the window's newest
/// end, unmarked, as an exact reorder would have kept it in the window.
extension ShardPolicy {
    /// Whether drained hits are marked instead of applied: the shard is below half full and its
    /// sketch not yet counting (once it counts, every hit is applied at once, for good).
    @inlinable
    var defersHits: Bool {
        weightedSize < maximum >> 1 && !sketch.isInitialized
    }

    /// Marks `slot` as read, for a shard that `defersHits`. A slot freed since the hit is marked
    /// harmlessly: the settling pass walks the queues, not the marks, and a reused slot is
    /// unmarked by `onAdd`; so the caller need not look at the slot's record. O(1) amortised.
    @inlinable @inline(__always)
    mutating func deferHit(_ slot: Int32) {
        referenced.mark(slot)
    }

    /// Marks the buffered hits' slots as read (`deferHit`) and empties the buffer.
    @inlinable
    mutating func deferBufferedHits() {
        for index in 0..<readBufferCount { deferHit(readBuffer[index].slot) }
        readBufferCount = 0
    }

    /// Applies the marks once the shard no longer defers its hits. O(1) when nothing is marked;
    /// otherwise one pass over the three queues, O(entries).
    @inlinable
    mutating func settleDeferredHitsIfDue<Key>(slots: PolicySlots<Key>) {
        guard referenced.pending, !defersHits else { return }
        settleDeferredHits(slots: slots)
    }

    /// Applies every mark as the hit it stands for, in queue order, and clears them: protected
    /// and window entries move to their queue's newest end, probation entries are promoted.
    /// O(entries).
    @usableFromInline
    mutating func settleDeferredHits<Key>(slots: PolicySlots<Key>) {
        let links = slots.links
        // Protected first: the entries promoted from probation below join it after its own.
        forEachMarked(in: \.protected, links: links) { policy, slot in
            policy.protected.moveToTail(slot, links: links)
        }
        forEachMarked(in: \.window, links: links) { policy, slot in
            policy.window.moveToTail(slot, links: links)
        }
        forEachMarked(in: \.probation, links: links) { policy, slot in
            policy.reorderProbation(slot, slots: slots)
        }
        referenced.clearAll()
    }

    /// Calls `apply` on each marked entry of a queue, oldest first, unmarking it; entries
    /// `apply` moves to the queue's end are not visited again.
    @inlinable
    mutating func forEachMarked(
        in queue: WritableKeyPath<ShardPolicy, SlotQueue>, links: SlotLinks,
        _ apply: (inout ShardPolicy, Int32) -> Void
    ) {
        let last = self[keyPath: queue].tail
        var slot = self[keyPath: queue].head
        while slot >= 0 {
            let next = links[Int(slot)].next
            if referenced.isMarked(slot) {
                referenced.clear(slot)
                apply(&self, slot)
            }
            if slot == last { break }
            slot = next
        }
    }
}
