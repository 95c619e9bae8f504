/// Window TinyLFU, ported from Caffeine's `BoundedLocalCache` maintenance, run synchronously
/// under the shard lock on every write: the bound is enforced in the inserting thread, never by
/// a background cleaner that could fall behind.
///
/// New entries enter the window (LRU). When the window overflows, its oldest entries move to
/// the probation segment as candidates; while the shard is over capacity, each candidate (from
/// the probation tail) is compared with the victim (the probation head) by estimated frequency,
/// and the less popular one is evicted. A probation entry that is read again is promoted to the
/// protected segment; protected overflow is demoted back to probation. The window's size is the
/// window sizer's to decide (`WindowSizer.swift`); `ShardStore+WindowTransfer.swift` moves the
/// entries.
extension ShardStore {
    // MARK: Access and insertion

    /// How many hits a shard collects before applying them to the policy. Small enough that a
    /// drain holds the shard lock briefly (a thread arriving at a draining shard waits for the
    /// whole batch), large enough for the drain's prefetches to run ahead of it.
    @inlinable
    static var readBufferCapacity: Int { 64 }

    /// Records a hit on `slot`. Hits are applied to the policy in batches (as Caffeine's read
    /// buffer does, but never dropped): consecutive reorders of a batch do not depend on one
    /// another, so their cache misses overlap instead of queueing. Every write, sweep, resize,
    /// snapshot and inspection drains the buffer first, so decisions never see a stale order.
    ///
    /// Every hit is recorded, from the first entry on, as in Caffeine: the queues are in access
    /// order when the shard fills and starts to evict. Only the frequency sketch waits, sized
    /// lazily at half full; until then `onAccess` reorders the queues and counts nothing.
    @inlinable
    mutating func recordRead(_ slot: Int32, hash: KeyHash) {
        readBuffer[readBufferCount] = BufferedRead(slot: slot, hash: hash)
        readBufferCount &+= 1
        if readBufferCount == Self.readBufferCapacity {
            drainReads()
            maintain()
        }
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
    mutating func drainReads() {
        guard readBufferCount > 0 else { return }
        let lookahead = Self.drainLookahead
        let far = lookahead &* 2
        for index in 0..<min(far, readBufferCount) { links.prefetch(Int(readBuffer[index].slot)) }
        for index in 0..<min(lookahead, readBufferCount) { prefetchAccess(readBuffer[index]) }
        for index in 0..<readBufferCount {
            if index &+ far < readBufferCount { links.prefetch(Int(readBuffer[index &+ far].slot)) }
            if index &+ lookahead < readBufferCount { prefetchAccess(readBuffer[index &+ lookahead]) }
            let entry = readBuffer[index]
            if links[Int(entry.slot)].tag != SlotTag.free {
                onAccess(entry.slot, hash: entry.hash)
            }
        }
        readBufferCount = 0
    }

    /// Starts loading what `onAccess` of a buffered hit will touch. A hint: it changes nothing,
    /// and a stale neighbour (relinked meanwhile by an earlier hit) only wastes the prefetch.
    @inlinable
    func prefetchAccess(_ entry: BufferedRead) {
        let link = links[Int(entry.slot)]
        if link.previous >= 0 { links.prefetch(Int(link.previous)) }
        if link.next >= 0 { links.prefetch(Int(link.next)) }
        sketch.prefetch(entry.hash)
    }

    /// Records a read or update of the entry in `slot`. O(1).
    @inlinable
    mutating func onAccess(_ slot: Int32, hash: KeyHash) {
        sketch.increment(hash)
        switch links[Int(slot)].tag & SlotTag.queueMask {
        case SlotTag.window:
            policy.window.moveToTail(slot, links: links)
        case SlotTag.probation:
            judge.keptKeyReturned(hash)
            reorderProbation(slot)
        default:
            policy.protected.moveToTail(slot, links: links)
        }
    }

    @inlinable
    mutating func reorderProbation(_ slot: Int32) {
        let weight = weight(of: slot)
        if weight > policy.protectedMaximum {
            policy.probation.moveToTail(slot, links: links)
            return
        }
        policy.probation.remove(slot, links: links)
        policy.protected.append(slot, links: links)
        setQueue(slot, SlotTag.protected)
        policy.protectedWeightedSize &+= weight
    }

    /// Links a new entry into the policy. The caller has already stored key, value and cost.
    @inlinable
    mutating func onAdd(_ slot: Int32, hash: KeyHash, weight: Int) {
        policy.weightedSize &+= weight
        setQueue(slot, SlotTag.window)
        policy.window.append(slot, links: links)
        policy.windowWeightedSize &+= weight
        if policy.weightedSize >= policy.maximum >> 1 {
            // Like Caffeine, the sketch is sized lazily, when the shard is half full.
            ensurePolicyMemory(sketchEntries: weighted ? count : policy.maximum)
        }
        // Before the sketch counts this request.
        policy.sizer.recordMiss(hash, weight: weight) {
            judge.bar == 0 && sketch.frequency(hash) <= RegretWindowSizer.rareFrequency
        }
        judge.droppedKeyReturned(hash)
        sketch.increment(hash)
    }

    /// Sizes the frequency sketch, the window sizer's memories and the admission judge for
    /// `sketchEntries` entries. O(1) once sized; O(size) when (re)allocating.
    @inlinable
    mutating func ensurePolicyMemory(sketchEntries: Int) {
        sketch.ensureCapacity(sketchEntries)
        // Sized in entries, like the sketch: with a weigher the maximum is a cost, and tables
        // sized by it would hold a slot per byte of a 64 MiB cache.
        policy.sizer.ensureCapacity(forEntries: sketchEntries)
        if judge.learns { judge.ensureCapacity(forEntries: sketchEntries) }
    }

    /// Unlinks the entry in `slot` from its policy queue and its segment's weighted size.
    @inlinable
    mutating func onRemove(_ slot: Int32, weight: Int) {
        policy.weightedSize &-= weight
        switch links[Int(slot)].tag & SlotTag.queueMask {
        case SlotTag.window:
            policy.window.remove(slot, links: links)
            policy.windowWeightedSize &-= weight
        case SlotTag.probation:
            policy.probation.remove(slot, links: links)
        default:
            policy.protected.remove(slot, links: links)
            policy.protectedWeightedSize &-= weight
        }
    }

    /// Adjusts segment sizes after the cost of the entry in `slot` changed.
    @inlinable
    mutating func onWeightChange(_ slot: Int32, by delta: Int) {
        policy.weightedSize &+= delta
        switch links[Int(slot)].tag & SlotTag.queueMask {
        case SlotTag.window: policy.windowWeightedSize &+= delta
        case SlotTag.protected: policy.protectedWeightedSize &+= delta
        default: break
        }
    }

    @inlinable
    mutating func setQueue(_ slot: Int32, _ queue: UInt8) {
        links[Int(slot)].tag = (links[Int(slot)].tag & ~SlotTag.queueMask) | queue
    }

    // MARK: Maintenance

    /// Evicts until the shard is within its maximum, then lets the window sizer adapt.
    /// O(evicted + transferred).
    @inlinable
    mutating func maintain() {
        // As in Caffeine, window overflow flows into probation on every maintenance, not only
        // when the shard is full, so warm-up follows the same queues as steady state.
        if policy.weightedSize > policy.maximum || policy.windowWeightedSize > policy.windowMaximum {
            evictEntries()
        }
        adaptWindow()
    }

    @inlinable
    mutating func evictEntries() {
        let candidates = evictFromWindow()
        evictFromMain(candidates: candidates)
    }

    /// Moves the window's oldest entries to probation until the window fits. Returns how many.
    @inlinable
    mutating func evictFromWindow() -> Int {
        var candidates = 0
        var slot = policy.window.head
        while policy.windowWeightedSize > policy.windowMaximum, slot >= 0 {
            let next = links[Int(slot)].next
            let weight = weight(of: slot)
            policy.window.remove(slot, links: links)
            policy.probation.append(slot, links: links)
            setQueue(slot, SlotTag.probation)
            policy.windowWeightedSize &-= weight
            candidates &+= 1
            slot = next
        }
        return candidates
    }

    @usableFromInline
    enum Segment { case window, probation, protected }

    /// Evicts from the main space until the shard fits, each time keeping the more popular of
    /// the newest candidate and the oldest victim (Caffeine's `evictFromMain`).
    @inlinable
    mutating func evictFromMain(candidates initialCandidates: Int) {
        var candidates = initialCandidates
        var victimQueue = Segment.probation
        var candidateQueue = Segment.probation
        var victim = policy.probation.head
        var candidate = policy.probation.tail

        while policy.weightedSize > policy.maximum {
            // Search the admission window for additional candidates.
            if candidates == 0, candidate < 0, candidateQueue == .probation {
                candidate = policy.window.head
                candidateQueue = .window
            }
            // Try evicting from the protected and window queues.
            if candidate < 0, victim < 0 {
                if victimQueue == .probation {
                    victim = policy.protected.head
                    victimQueue = .protected
                    continue
                } else if victimQueue == .protected {
                    victim = policy.window.head
                    victimQueue = .window
                    continue
                }
                break
            }
            // Evict immediately if only one of the entries is present.
            if victim < 0 {
                let evicted = candidate
                candidate = links[Int(candidate)].previous
                candidates &-= 1
                evict(evicted, hash: KeyHash(key(at: evicted)), cause: .size)
                continue
            } else if candidate < 0 {
                let evicted = victim
                victim = links[Int(victim)].next
                evict(evicted, hash: KeyHash(key(at: evicted)), cause: .size)
                continue
            }
            // Evict immediately if both selected the same entry.
            if candidate == victim {
                victim = links[Int(victim)].next
                evict(candidate, hash: KeyHash(key(at: candidate)), cause: .size)
                candidate = -1
                candidates &-= 1
                continue
            }
            let candidateHash = KeyHash(key(at: candidate))
            // Evict immediately if the candidate's weight exceeds the maximum.
            if weight(of: candidate) > policy.maximum {
                let evicted = candidate
                candidate = links[Int(candidate)].previous
                candidates &-= 1
                evict(evicted, hash: candidateHash, cause: .size)
                continue
            }
            // Evict the entry with the lower estimated frequency.
            candidates &-= 1
            let victimHash = KeyHash(key(at: victim))
            let (admitted, margin) = admit(candidateHash: candidateHash, victimHash: victimHash)
            if admitted {
                let evicted = victim
                victim = links[Int(victim)].next
                policy.sizer.recordAdmission(evicting: victimHash)
                if judge.isCloseCall(margin: margin, admitted: true) {
                    judge.remember(keptHash: candidateHash, droppedHash: victimHash, admitted: true)
                }
                evict(evicted, hash: victimHash, cause: .size)
                candidate = links[Int(candidate)].previous
            } else {
                let evicted = candidate
                candidate = links[Int(candidate)].previous
                counters.admissionsRejected &+= 1
                if margin <= 0 {
                    // Turned away on frequency: a larger window would have kept it.
                    policy.sizer.recordRejection(of: candidateHash)
                }
                if judge.isCloseCall(margin: margin, admitted: false) {
                    judge.remember(keptHash: victimHash, droppedHash: candidateHash, admitted: false)
                }
                evict(evicted, hash: candidateHash, cause: .size)
            }
        }
    }

    /// TinyLFU admission: the candidate must be more popular than the victim, by more than the
    /// learned margin (`AdmissionJudge`). A warm candidate that is not is admitted at random 1
    /// time in 128, so an attacker cannot pin hot victims (hash flooding). Returns the decision
    /// and the margin: the candidate's estimated frequency minus the victim's.
    @inlinable
    mutating func admit(candidateHash: KeyHash, victimHash: KeyHash) -> (admitted: Bool, margin: Int) {
        let victimFrequency = sketch.frequency(victimHash)
        let candidateFrequency = sketch.frequency(candidateHash)
        let margin = candidateFrequency - victimFrequency
        if margin > judge.bar { return (true, margin) }
        if candidateFrequency >= PolicyState.admitHashDosThreshold {
            return (nextRandom() & 127 == 0, margin)
        }
        return (false, margin)
    }
}
