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
    }
}
