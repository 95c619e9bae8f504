/// Eviction, ported from Caffeine's `BoundedLocalCache` maintenance and run synchronously
/// under the shard lock on every write: the bound is enforced in the inserting thread, never by
/// a background cleaner that could fall behind. The policy picks and unlinks the victims; the
/// shard frees their slots.
extension ShardPolicy {
    /// Evicts until the shard is within its maximum, then lets the window sizer adapt. The
    /// victims are unlinked from the queues and appended to `evicted` with their hashes, for the
    /// shard to free.
    /// `hits` and `misses` are the shard's lookup counters. O(evicted + transferred).
    @inlinable
    mutating func maintain<Key>(slots: PolicySlots<Key>, hits: Int, misses: Int, evicted: inout [HashedSlot]) {
        // As in Caffeine, window overflow flows into probation on every maintenance, not only
        // when the shard is full, so warm-up follows the same queues as steady state.
        settleDeferredHitsIfDue(slots: slots)
        if weightedSize > maximum || windowWeightedSize > windowMaximum {
            evictEntries(slots: slots, evicted: &evicted)
        }
        adaptWindow(slots: slots, hits: hits, misses: misses)
    }

    /// Evicts until the shard is within its maximum; the victims go to `evicted`.
    @inlinable
    mutating func evictEntries<Key>(slots: PolicySlots<Key>, evicted: inout [HashedSlot]) {
        let candidates = evictFromWindow(slots: slots)
        evictFromMain(candidates: candidates, slots: slots, victims: &evicted)
    }

    /// Unlinks a victim and hands it to the shard, with its key's hash (computed here unless
    /// the caller already has it), which the shard needs to find its index position.
    @inlinable
    mutating func evict<Key>(_ slot: Int32, hash: KeyHash? = nil, slots: PolicySlots<Key>, into evicted: inout [HashedSlot]) {
        onRemove(slot, weight: slots.weight(of: slot), links: slots.links)
        evicted.append(HashedSlot(slot: slot, hash: hash ?? slots.hash(of: slot)))
    }

    /// Moves the window's oldest entries to probation until the window fits. Returns how many.
    /// An entry marked by a deferred hit is moved to the window's newest end instead, unmarked
    /// (`ShardPolicy+DeferredHits.swift`).
    @inlinable
    mutating func evictFromWindow<Key>(slots: PolicySlots<Key>) -> Int {
        let links = slots.links
        var candidates = 0
        var slot = window.head
        while windowWeightedSize > windowMaximum, slot >= 0 {
            let next = links[Int(slot)].next
            if referenced.isMarked(slot) {
                referenced.clear(slot)
                window.moveToTail(slot, links: links)
                // Past the end, start again from the oldest: every mark passed is cleared.
                slot = next >= 0 ? next : window.head
                continue
            }
            let weight = slots.weight(of: slot)
            window.remove(slot, links: links)
            probation.append(slot, links: links)
            Self.setQueue(slot, SlotTag.probation, links: links)
            windowWeightedSize &-= weight
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
    mutating func evictFromMain<Key>(candidates initialCandidates: Int, slots: PolicySlots<Key>, victims: inout [HashedSlot]) {
        let links = slots.links
        var candidates = initialCandidates
        var victimQueue = Segment.probation
        var candidateQueue = Segment.probation
        var victim = probation.head
        var candidate = probation.tail

        while weightedSize > maximum {
            // Search the admission window for additional candidates.
            if candidates == 0, candidate < 0, candidateQueue == .probation {
                candidate = window.head
                candidateQueue = .window
            }
            // Try evicting from the protected and window queues.
            if candidate < 0, victim < 0 {
                if victimQueue == .probation {
                    victim = protected.head
                    victimQueue = .protected
                    continue
                } else if victimQueue == .protected {
                    victim = window.head
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
                evict(evicted, slots: slots, into: &victims)
                continue
            } else if candidate < 0 {
                let evicted = victim
                victim = links[Int(victim)].next
                evict(evicted, slots: slots, into: &victims)
                continue
            }
            // Evict immediately if both selected the same entry.
            if candidate == victim {
                victim = links[Int(victim)].next
                evict(candidate, slots: slots, into: &victims)
                candidate = -1
                candidates &-= 1
                continue
            }
            let candidateHash = slots.hash(of: candidate)
            // Evict immediately if the candidate's weight exceeds the maximum.
            if slots.weight(of: candidate) > maximum {
                let evicted = candidate
                candidate = links[Int(candidate)].previous
                candidates &-= 1
                evict(evicted, hash: candidateHash, slots: slots, into: &victims)
                continue
            }
            // Evict the entry with the lower estimated frequency.
            candidates &-= 1
            let victimHash = slots.hash(of: victim)
            let (admitted, margin) = admit(candidateHash: candidateHash, victimHash: victimHash)
            if admitted {
                let evicted = victim
                victim = links[Int(victim)].next
                sizer.recordAdmission(evicting: victimHash)
                if judge.isCloseCall(margin: margin, admitted: true) {
                    judge.remember(keptHash: candidateHash, droppedHash: victimHash, admitted: true)
                }
                evict(evicted, hash: victimHash, slots: slots, into: &victims)
                candidate = links[Int(candidate)].previous
            } else {
                let evicted = candidate
                candidate = links[Int(candidate)].previous
                admissionsRejected &+= 1
                if margin <= 0 {
                    // Turned away on frequency: a larger window would have kept it.
                    sizer.recordRejection(of: candidateHash)
                }
                if judge.isCloseCall(margin: margin, admitted: false) {
                    judge.remember(keptHash: victimHash, droppedHash: candidateHash, admitted: false)
                }
                evict(evicted, hash: candidateHash, slots: slots, into: &victims)
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
        if candidateFrequency >= Self.admitHashDosThreshold {
            return (nextRandom() & 127 == 0, margin)
        }
        return (false, margin)
    }
}
