import CacheVocabulary

/// The window the hit ratio is computed over; `w` cycles it.
public enum RateWindow: Int, Sendable, CaseIterable, Codable {
    case tenSeconds = 10
    case oneMinute = 60
    case fiveMinutes = 300

    public var label: String {
        switch self {
        case .tenSeconds: return "10s"
        case .oneMinute: return "1m"
        case .fiveMinutes: return "5m"
        }
    }

    public var next: RateWindow {
        let all = Self.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }
}

/// Per-second rates between two samples.
public struct Rates: Sendable, Equatable {
    public var operations = 0.0
    public var hits = 0.0
    public var misses = 0.0
    public var puts = 0.0
    public var evictionsBySize = 0.0
    public var expirations = 0.0
    public var explicitRemovals = 0.0
    public var loads = 0.0
    /// Hits over reads in the interval; nil without reads.
    public var hitRatio: Double?
    /// The 99th percentile of the loads that ended in the interval, from the difference of the
    /// two samples' latency histograms (a bucket's upper bound); nil without loads or buckets.
    public var loadP99Nanoseconds: Double?

    public init() {}

    public var evictions: Double { evictionsBySize + expirations + explicitRemovals }

    /// The rates from `earlier` to `later`; zero when no time passed or counters went back
    /// (a restarted target).
    public init(from earlier: DashboardSample, to later: DashboardSample) {
        let seconds = later.time - earlier.time
        let a = earlier.snapshot.counters, b = later.snapshot.counters
        guard seconds > 0, b.hits >= a.hits, b.misses >= a.misses else { return }
        func rate(_ from: Int, _ to: Int) -> Double { Double(max(0, to - from)) / seconds }
        hits = rate(a.hits, b.hits)
        misses = rate(a.misses, b.misses)
        puts = rate(a.puts, b.puts)
        operations = hits + misses + puts
        evictionsBySize = rate(a.evictions.size, b.evictions.size)
        expirations = rate(a.evictions.expired, b.evictions.expired)
        explicitRemovals = rate(a.evictions.explicit, b.evictions.explicit)
        let loadsBefore = earlier.snapshot.loads.successes + earlier.snapshot.loads.failures
        let loadsAfter = later.snapshot.loads.successes + later.snapshot.loads.failures
        loads = rate(loadsBefore, loadsAfter)
        let reads = (b.hits - a.hits) + (b.misses - a.misses)
        hitRatio = reads > 0 ? Double(b.hits - a.hits) / Double(reads) : nil
        loadP99Nanoseconds = Self.percentile(0.99, from: earlier.snapshot.loads.latency.bucketCounts,
                                             to: later.snapshot.loads.latency.bucketCounts)
    }

    /// The `fraction` percentile of what was added to a latency histogram between two readings
    /// of its bucket counts: the upper bound of the bucket it falls in. O(buckets).
    static func percentile(_ fraction: Double, from earlier: [Int]?, to later: [Int]?) -> Double? {
        guard let earlier, let later, earlier.count == later.count else { return nil }
        let added = zip(earlier, later).map { max(0, $1 - $0) }
        let total = added.reduce(0, +)
        guard total > 0 else { return nil }
        let rank = max(1, Int((fraction * Double(total)).rounded(.up)))
        var seen = 0
        for (index, count) in added.enumerated() {
            seen += count
            if seen >= rank { return Double(CacheSnapshot.Loads.Latency.upperBoundNanoseconds(ofBucket: index)) }
        }
        return nil
    }
}
