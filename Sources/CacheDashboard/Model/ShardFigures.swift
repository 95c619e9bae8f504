import CacheVocabulary

/// Figures derived from the shards of the newest sample, for the capacity panel: how uneven they
/// are and which one is busiest. The model computes them; the panel only draws them.
public struct ShardFigures: Sendable, Equatable {
    /// The fullest shard's entries over the average (1 when even).
    public var skew: Double
    /// The shard with the most reads in the newest interval (or overall, with one sample); nil
    /// without reads.
    public var hottest: Int?
    /// Shards whose admission filter has learned to demand a margin (loop-like traffic).
    public var raisedMargins: Int

    /// The figures of `latest`, with `previous` (the sample before it) for per-interval reads.
    /// O(shards).
    public init(latest: CacheSnapshot, previous: CacheSnapshot?) {
        let counts = latest.shards.map(\.count)
        let average = counts.isEmpty ? 0 : Double(counts.reduce(0, +)) / Double(counts.count)
        skew = average > 0 ? Double(counts.max() ?? 0) / average : 1
        raisedMargins = latest.shards.filter { $0.admissionMargin > 0 }.count
        var best: (index: Int, reads: Int)?
        for shard in latest.shards {
            var reads = shard.hits + shard.misses
            if let before = previous?.shards.first(where: { $0.index == shard.index }) {
                reads -= before.hits + before.misses
            }
            if best == nil || reads > best!.reads { best = (shard.index, reads) }
        }
        hottest = best.flatMap { $0.reads > 0 ? $0.index : nil }
    }
}

/// The spread of the per-interval hit ratio within the window, for the hit-ratio panel.
public struct HitRatioSpread: Sendable, Equatable {
    public var minimum: Double
    public var average: Double
    public var maximum: Double

    /// Nil when no interval in `rates` had reads.
    public init?(_ rates: some Collection<Rates>) {
        let ratios = rates.compactMap(\.hitRatio)
        guard let low = ratios.min(), let high = ratios.max() else { return nil }
        minimum = low
        maximum = high
        average = ratios.reduce(0, +) / Double(ratios.count)
    }
}
