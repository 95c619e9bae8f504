/// Caffeine's hill climber, kept as the baseline `EvictionPolicy.windowTinyLFUHillClimber` so
/// that the regret-based sizing of the default policy can be measured against it in the same
/// run. After each sample of ten times the capacity in requests it compares the hit rate with
/// the previous sample's and steps the window in the direction that seemed to help; the step
/// decays by 2% a sample and restarts when the hit rate moves by 5 points or more.
extension ShardStore {
    /// Sets `policy.adjustment` at the end of each sample. O(1).
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
}
