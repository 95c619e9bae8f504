/// Moving entries between the window and the main space when the window sizer asks for it,
/// and keeping the protected segment within its share. Transfers are bounded per maintenance
/// (`PolicyState.queueTransferThreshold` entries); what remains is carried to the next one.
extension ShardStore {
    /// Applies the sizer's adjustment to the window's size. O(transfers).
    @inlinable
    mutating func adaptWindow() {
        let input = WindowSizerInput(
            maximum: policy.maximum, windowMaximum: policy.windowMaximum, protectedMaximum: policy.protectedMaximum,
            hits: counters.hits, misses: counters.misses,
            sketchSampleSize: sketch.isInitialized ? sketch.sampleSize : nil)
        policy.adjustment = policy.sizer.adjustment(pending: policy.adjustment, shard: input)
        demoteFromMainProtected()
        if policy.adjustment > 0 {
            increaseWindow()
        } else if policy.adjustment < 0 {
            decreaseWindow()
        }
    }

    /// Moves the protected segment's oldest entries to probation while it is over its share.
    @inlinable
    mutating func demoteFromMainProtected() {
        guard policy.protectedWeightedSize > policy.protectedMaximum else { return }
        var transferred = 0
        while transferred < PolicyState.queueTransferThreshold,
              policy.protectedWeightedSize > policy.protectedMaximum,
              policy.protected.head >= 0 {
            let demoted = policy.protected.head
            policy.protected.remove(demoted, links: links)
            policy.probation.append(demoted, links: links)
            setQueue(demoted, SlotTag.probation)
            policy.protectedWeightedSize &-= weight(of: demoted)
            transferred &+= 1
        }
    }

    @inlinable
    mutating func increaseWindow() {
        guard policy.protectedMaximum > 0 else { return }
        var quota = min(policy.adjustment, policy.protectedMaximum)
        policy.protectedMaximum &-= quota
        policy.windowMaximum &+= quota
        demoteFromMainProtected()

        for _ in 0..<PolicyState.queueTransferThreshold {
            var candidate = policy.probation.head
            var fromProbation = true
            if candidate < 0 || quota < weight(of: candidate) {
                candidate = policy.protected.head
                fromProbation = false
            }
            if candidate < 0 { break }
            let weight = weight(of: candidate)
            if quota < weight { break }
            quota &-= weight
            if fromProbation {
                policy.probation.remove(candidate, links: links)
            } else {
                policy.protectedWeightedSize &-= weight
                policy.protected.remove(candidate, links: links)
            }
            policy.windowWeightedSize &+= weight
            policy.window.append(candidate, links: links)
            setQueue(candidate, SlotTag.window)
        }
        policy.protectedMaximum &+= quota
        policy.windowMaximum &-= quota
        policy.adjustment = quota
    }

    @inlinable
    mutating func decreaseWindow() {
        guard policy.windowMaximum > 1 else { return }
        var quota = min(-policy.adjustment, max(0, policy.windowMaximum - 1))
        policy.protectedMaximum &+= quota
        policy.windowMaximum &-= quota

        for _ in 0..<PolicyState.queueTransferThreshold {
            let candidate = policy.window.head
            if candidate < 0 { break }
            let weight = weight(of: candidate)
            if quota < weight { break }
            quota &-= weight
            policy.windowWeightedSize &-= weight
            policy.window.remove(candidate, links: links)
            policy.probation.append(candidate, links: links)
            setQueue(candidate, SlotTag.probation)
        }
        policy.protectedMaximum &-= quota
        policy.windowMaximum &+= quota
        policy.adjustment = -quota
    }
}
