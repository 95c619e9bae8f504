/// The hill climber: after each sample of requests it compares the hit rate with the previous
/// sample and moves capacity between the admission window and the main space in the direction
/// that helped (recency-skewed workloads grow the window, frequency-skewed ones shrink it).
/// The step decays while the hit rate is stable and restarts when it changes sharply.
extension ShardStore {
    @inlinable
    mutating func climb() {
        determineAdjustment()
        demoteFromMainProtected()
        if policy.adjustment > 0 {
            increaseWindow()
        } else if policy.adjustment < 0 {
            decreaseWindow()
        }
    }

    @inlinable
    mutating func determineAdjustment() {
        guard sketch.isInitialized else {
            policy.previousSampleHitRate = 0
            policy.missesInSample = 0
            policy.hitsInSample = 0
            return
        }
        let requestCount = policy.hitsInSample &+ policy.missesInSample
        // An unfinished sample keeps the previous adjustment: its remainder is transferred on
        // later calls, as the transfers per call are bounded.
        if requestCount < sketch.sampleSize { return }
        let hitRate = Double(policy.hitsInSample) / Double(requestCount)
        let hitRateChange = hitRate - policy.previousSampleHitRate
        let amount = hitRateChange >= 0 ? policy.stepSize : -policy.stepSize
        let nextStepSize = abs(hitRateChange) >= PolicyState.climberRestartThreshold
            ? PolicyState.climberStepPercent * Double(policy.maximum) * (amount >= 0 ? 1 : -1)
            : PolicyState.climberStepDecayRate * amount
        policy.previousSampleHitRate = hitRate
        policy.adjustment = Int(amount)
        policy.stepSize = nextStepSize
        policy.missesInSample = 0
        policy.hitsInSample = 0
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
