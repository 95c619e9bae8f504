/// Caffeine's hill climber, kept as the baseline `EvictionPolicy.windowTinyLFUHillClimber` so
/// that the product's ``RegretWindowSizer`` can be measured against it in the same run. After
/// each sample of ten times the capacity in requests it compares the hit rate with the previous
/// sample's and steps the window in the direction that seemed to help; the step decays by 2% a
/// sample and restarts when the hit rate moves by 5 points or more. It reads hits and misses
/// from the shard's counters, so the hit path does nothing for it.
///
/// Not thread-safe: owned by one shard and used under its lock.
@usableFromInline
struct HillClimberWindowSizer: WindowSizer {
    @usableFromInline static let restartThreshold = 0.05
    @usableFromInline static let stepPercent = 0.0625
    @usableFromInline static let stepDecayRate = 0.98

    @usableFromInline var stepSize = 0.0
    @usableFromInline var previousSampleHitRate = 0.0
    /// The shard's lookup counters when the current sample began.
    @usableFromInline var sampleStartHits = 0
    @usableFromInline var sampleStartMisses = 0

    @usableFromInline
    init(maximum: Int) {
        reset(maximum: maximum)
    }

    @usableFromInline
    mutating func reset(maximum: Int) {
        stepSize = -Self.stepPercent * Double(maximum)
        sampleStartHits = -1
    }

    @inlinable
    mutating func recordMiss(_ hash: KeyHash, weight: Int, isRare: () -> Bool) {}

    @inlinable
    mutating func recordAdmission(evicting victim: KeyHash) {}

    @inlinable
    mutating func recordRejection(of candidate: KeyHash) {}

    @usableFromInline
    mutating func ensureCapacity(forEntries entries: Int) {}

    @usableFromInline
    func deallocate() {}

    /// A new adjustment at the end of each sample; an unfinished sample keeps the pending one,
    /// whose remainder later maintenances transfer. O(1).
    @inlinable
    mutating func adjustment(pending: Int, shard: WindowSizerInput) -> Int {
        guard let sampleSize = shard.sketchSampleSize, sampleStartHits >= 0 else {
            previousSampleHitRate = 0
            (sampleStartHits, sampleStartMisses) = (shard.hits, shard.misses)
            return pending
        }
        let hits = shard.hits - sampleStartHits
        let requestCount = hits + shard.misses - sampleStartMisses
        if requestCount < sampleSize { return pending }
        let hitRate = Double(hits) / Double(requestCount)
        let hitRateChange = hitRate - previousSampleHitRate
        let amount = hitRateChange >= 0 ? stepSize : -stepSize
        stepSize = abs(hitRateChange) >= Self.restartThreshold
            ? Self.stepPercent * Double(shard.maximum) * (amount >= 0 ? 1 : -1)
            : Self.stepDecayRate * amount
        previousSampleHitRate = hitRate
        (sampleStartHits, sampleStartMisses) = (shard.hits, shard.misses)
        return Int(amount)
    }
}
