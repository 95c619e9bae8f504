/// Moving entries between the window and the main space when the window sizer asks for it,
/// and keeping the protected segment within its share. Transfers are bounded per maintenance
/// (`queueTransferThreshold` entries); what remains is carried to the next one.
extension ShardPolicy {
    /// Applies the sizer's adjustment to the window's size. O(transfers).
    @inlinable
    mutating func adaptWindow<Key>(slots: PolicySlots<Key>, hits: Int, misses: Int) {
        let input = WindowSizerInput(
            maximum: maximum, windowMaximum: windowMaximum, protectedMaximum: protectedMaximum,
            hits: hits, misses: misses, sketchSampleSize: sketch.isInitialized ? sketch.sampleSize : nil)
        adjustment = sizer.adjustment(pending: adjustment, shard: input)
        demoteFromMainProtected(slots: slots)
        if adjustment > 0 {
            increaseWindow(slots: slots)
        } else if adjustment < 0 {
            decreaseWindow(slots: slots)
        }
    }

    /// Moves the protected segment's oldest entries to probation while it is over its share.
    @inlinable
    mutating func demoteFromMainProtected<Key>(slots: PolicySlots<Key>) {
        let links = slots.links
        guard protectedWeightedSize > protectedMaximum else { return }
        var transferred = 0
        while transferred < Self.queueTransferThreshold,
              protectedWeightedSize > protectedMaximum,
              protected.head >= 0 {
            let demoted = protected.head
            protected.remove(demoted, links: links)
            probation.append(demoted, links: links)
            Self.setQueue(demoted, SlotTag.probation, links: links)
            protectedWeightedSize &-= slots.weight(of: demoted)
            transferred &+= 1
        }
    }

    @inlinable
    mutating func increaseWindow<Key>(slots: PolicySlots<Key>) {
        let links = slots.links
        guard protectedMaximum > 0 else { return }
        var quota = min(adjustment, protectedMaximum)
        protectedMaximum &-= quota
        windowMaximum &+= quota
        demoteFromMainProtected(slots: slots)

        for _ in 0..<Self.queueTransferThreshold {
            var candidate = probation.head
            var fromProbation = true
            if candidate < 0 || quota < slots.weight(of: candidate) {
                candidate = protected.head
                fromProbation = false
            }
            if candidate < 0 { break }
            let weight = slots.weight(of: candidate)
            if quota < weight { break }
            quota &-= weight
            if fromProbation {
                probation.remove(candidate, links: links)
            } else {
                protectedWeightedSize &-= weight
                protected.remove(candidate, links: links)
            }
            windowWeightedSize &+= weight
            window.append(candidate, links: links)
            Self.setQueue(candidate, SlotTag.window, links: links)
        }
        protectedMaximum &+= quota
        windowMaximum &-= quota
        adjustment = quota
    }

    @inlinable
    mutating func decreaseWindow<Key>(slots: PolicySlots<Key>) {
        let links = slots.links
        guard windowMaximum > 1 else { return }
        var quota = min(-adjustment, max(0, windowMaximum - 1))
        protectedMaximum &+= quota
        windowMaximum &-= quota

        for _ in 0..<Self.queueTransferThreshold {
            let candidate = window.head
            if candidate < 0 { break }
            let weight = slots.weight(of: candidate)
            if quota < weight { break }
            quota &-= weight
            windowWeightedSize &-= weight
            window.remove(candidate, links: links)
            probation.append(candidate, links: links)
            Self.setQueue(candidate, SlotTag.probation, links: links)
        }
        protectedMaximum &-= quota
        windowMaximum &+= quota
        adjustment = -quota
    }
}
