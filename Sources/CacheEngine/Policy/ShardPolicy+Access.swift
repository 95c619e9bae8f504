/// How the policy hears of reads, writes and removals: hits go through the read buffer, the
/// rest straight to the queues. Every method runs under the shard lock.
extension ShardPolicy {
    // MARK: Access and insertion

    /// How many hits a shard collects before applying them to the policy. Small enough that a
    /// drain holds the shard lock briefly (a thread arriving at a draining shard waits for the
    /// whole batch), large enough for the drain's prefetches to run ahead of it.
    @inlinable
    static var readBufferCapacity: Int { 64 }

    /// Buffers a hit on `slot`; returns whether the buffer is now full, so the shard drains it.
    /// Hits are applied to the policy in batches (as Caffeine's read buffer does, but never
    /// dropped): consecutive reorders of a batch do not depend on one another, so their cache
    /// misses overlap instead of queueing. Every write, sweep, resize, snapshot and inspection
    /// drains the buffer first, so decisions never see a stale order.
    ///
    /// Every hit is recorded, from the first entry on, as in Caffeine: the queues are in access
    /// order when the shard fills and starts to evict. Below half full, the frequency sketch is
    /// not sized yet and the drain marks the entries read instead of reordering them; the marks
    /// are applied when the shard reaches half full (`ShardPolicy+DeferredHits.swift`).
    @inlinable @inline(__always)
    mutating func bufferRead(_ slot: Int32, hash: KeyHash) -> Bool {
        readBuffer[readBufferCount] = HashedSlot(slot: slot, hash: hash)
        readBufferCount &+= 1
        return readBufferCount == Self.readBufferCapacity
    }

    /// How many buffered hits ahead of the one being applied `drainReads` prefetches.
    @inlinable
    static var drainLookahead: Int { 8 }

    /// Applies the buffered hits in order. A hit whose slot has since been freed is skipped.
    ///
    /// The buffer says up front which entries will be touched, so the drain runs ahead of
    /// itself in two stages: twice `drainLookahead` hits ahead it prefetches the entry's record
    /// (its links), `drainLookahead` hits ahead it reads those links and prefetches the sketch
    /// block of the key and the queue neighbours the reorder will relink. On a shard far larger
    /// than the CPU cache those are misses on every hit; prefetched, they overlap instead of
    /// queueing behind one another.
    @inlinable
    mutating func drainReads<Key>(slots: PolicySlots<Key>) {
        guard readBufferCount > 0 else { return }
        if defersHits { return deferBufferedHits() }
        settleDeferredHitsIfDue(slots: slots)
        let links = slots.links
        let lookahead = Self.drainLookahead
        let far = lookahead &* 2
        for index in 0..<min(far, readBufferCount) { links.prefetch(Int(readBuffer[index].slot)) }
        for index in 0..<min(lookahead, readBufferCount) { prefetchAccess(readBuffer[index], links: links) }
        for index in 0..<readBufferCount {
            if index &+ far < readBufferCount { links.prefetch(Int(readBuffer[index &+ far].slot)) }
            if index &+ lookahead < readBufferCount { prefetchAccess(readBuffer[index &+ lookahead], links: links) }
            let entry = readBuffer[index]
            if links[Int(entry.slot)].tag != SlotTag.free {
                onAccess(entry.slot, hash: entry.hash, slots: slots)
            }
        }
        readBufferCount = 0
    }

    /// Starts loading what `onAccess` of a buffered hit will touch. A hint: it changes nothing,
    /// and a stale neighbour (relinked meanwhile by an earlier hit) only wastes the prefetch.
    @inlinable
    func prefetchAccess(_ entry: HashedSlot, links: SlotLinks) {
        let link = links[Int(entry.slot)]
        if link.previous >= 0 { links.prefetch(Int(link.previous)) }
        if link.next >= 0 { links.prefetch(Int(link.next)) }
        sketch.prefetch(entry.hash)
    }

    /// Records a read or update of the entry in `slot`. O(1).
    @inlinable
    mutating func onAccess<Key>(_ slot: Int32, hash: KeyHash, slots: PolicySlots<Key>) {
        let links = slots.links
        sketch.increment(hash)
        let queue = links[Int(slot)].tag & SlotTag.queueMask
        shiftDetector.recordHit(protected: queue == SlotTag.protected)
        switch queue {
        case SlotTag.window:
            window.moveToTail(slot, links: links)
        case SlotTag.probation:
            judge.keptKeyReturned(hash)
            reorderProbation(slot, slots: slots)
        default:
            protected.moveToTail(slot, links: links)
        }
    }

    @inlinable
    mutating func reorderProbation<Key>(_ slot: Int32, slots: PolicySlots<Key>) {
        let links = slots.links
        let weight = slots.weight(of: slot)
        if weight > protectedMaximum {
            probation.moveToTail(slot, links: links)
            return
        }
        probation.remove(slot, links: links)
        protected.append(slot, links: links)
        Self.setQueue(slot, SlotTag.protected, links: links)
        protectedWeightedSize &+= weight
    }

    /// Links a new entry into the policy. The caller has already stored key, value and cost.
    @inlinable
    mutating func onAdd(_ slot: Int32, hash: KeyHash, weight: Int, entries: Int, links: SlotLinks) {
        weightedSize &+= weight
        referenced.clear(slot)
        Self.setQueue(slot, SlotTag.window, links: links)
        window.append(slot, links: links)
        windowWeightedSize &+= weight
        if weightedSize >= maximum >> 1 {
            // Like Caffeine, the sketch is sized lazily, when the shard is half full.
            let target = weighted ? entries : maximum
            if target != memorySizedFor {
                let starting = !sketch.isInitialized
                ensureMemory(forEntries: target)
                // The hits deferred below half full were not counted by the detector, so its
                // first period starts here, with the sketch's counting.
                if starting { shiftDetector.startPeriod() }
            }
        }
        // Before the sketch counts this request.
        sizer.recordMiss(hash, weight: weight) {
            judge.bar == 0 && sketch.frequency(hash) <= RegretWindowSizer.rareFrequency
        }
        judge.droppedKeyReturned(hash)
        if judge.learns, sketch.isInitialized {
            let response = shiftDetector.recordMiss()
            if response != .none { forgetPopularity(response, links: links) }
        }
        sketch.increment(hash)
    }

    /// Sizes the frequency sketch, the window sizer's memories and the admission judge for
    /// `entries` entries. O(1) once sized; O(size) when (re)allocating.
    @inlinable
    mutating func ensureMemory(forEntries entries: Int) {
        memorySizedFor = entries
        sketch.ensureCapacity(entries)
        // Sized in entries, like the sketch: with a weigher the maximum is a cost, and tables
        // sized by it would hold a slot per byte of a 64 MiB cache.
        sizer.ensureCapacity(forEntries: entries)
        if judge.learns { judge.ensureCapacity(forEntries: entries) }
    }

    /// Unlinks the entry in `slot` from its policy queue and its segment's weighted size.
    @inlinable
    mutating func onRemove(_ slot: Int32, weight: Int, links: SlotLinks) {
        weightedSize &-= weight
        switch links[Int(slot)].tag & SlotTag.queueMask {
        case SlotTag.window:
            window.remove(slot, links: links)
            windowWeightedSize &-= weight
        case SlotTag.probation:
            probation.remove(slot, links: links)
        default:
            protected.remove(slot, links: links)
            protectedWeightedSize &-= weight
        }
    }

    /// Adjusts segment sizes after the cost of the entry in `slot` changed.
    @inlinable
    mutating func onWeightChange(_ slot: Int32, by delta: Int, links: SlotLinks) {
        weightedSize &+= delta
        switch links[Int(slot)].tag & SlotTag.queueMask {
        case SlotTag.window: windowWeightedSize &+= delta
        case SlotTag.protected: protectedWeightedSize &+= delta
        default: break
        }
    }

    @inlinable
    static func setQueue(_ slot: Int32, _ queue: UInt8, links: SlotLinks) {
        links[Int(slot)].tag = (links[Int(slot)].tag & ~SlotTag.queueMask) | queue
    }
}
