import CacheVocabulary

/// What the bus knows, under its mutex: the connection's state, each namespace's tracker and
/// counters. Pure bookkeeping; the bus performs the I/O.
struct BusState: Sendable {
    struct Counters: Sendable {
        var applied: [String: Int] = [:]
        var keysRemoved = 0
        var unparsableKeys = 0
        var replays = 0
        var flushes: [String: Int] = [:]
        var unverifiedServes = 0
        /// The cache's hit count when it was last seen unverified (fail-open serving).
        var hitsWhenUnverified: Int?
    }

    var connection: CoherenceStatus.State = .connecting
    var reconnects = 0
    /// Failed connection attempts since the last subscription that caught up (for the backoff).
    var failures = 0
    var backlog = 0
    var ignoredPayloads = 0
    var trackers: [String: NamespaceTracker]
    /// Per namespace: the invalidations applied, for version-stamped loads.
    var ledgers: [String: StampLedger]
    var counters: [String: Counters] = [:]
    /// Apply latencies (statement to removal), milliseconds; the newest `latencyCapacity`.
    var latencies: [Double] = []
    var latencyCursor = 0
    static let latencyCapacity = 1_024
    let start: Int64

    init(namespaces: [BusNamespace], start: Int64) {
        self.start = start
        trackers = Dictionary(uniqueKeysWithValues: namespaces.map {
            ($0.name, NamespaceTracker(name: $0.name, leaseNanoseconds: $0.lease.nanoseconds))
        })
        ledgers = Dictionary(uniqueKeysWithValues: namespaces.map { ($0.name, StampLedger()) })
    }

    mutating func recordLatency(_ milliseconds: Double) {
        if latencies.count < Self.latencyCapacity {
            latencies.append(milliseconds)
        } else {
            latencies[latencyCursor] = milliseconds
            latencyCursor = (latencyCursor + 1) % Self.latencyCapacity
        }
    }

    func status(of name: String, now: Int64, namespaces: [String: BusNamespace]) -> CoherenceStatus? {
        guard let tracker = trackers[name], let namespace = namespaces[name] else { return nil }
        let counters = counters[name] ?? Counters()
        let samples = namespace.sampleCounts?() ?? (sampled: 0, stale: 0)
        let sorted = latencies.sorted()
        func percentile(_ p: Double) -> Double? {
            sorted.isEmpty ? nil : sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * p))]
        }
        return CoherenceStatus(
            namespace: name, state: connection, verified: tracker.isVerified(at: now), policy: namespace.policy,
            leaseMilliseconds: namespace.lease.nanoseconds / 1_000_000,
            sinceVerifiedMilliseconds: tracker.sinceVerified(at: now, start: start) / 1_000_000,
            serving: namespace.isStoring(), appliedSequence: tracker.applied, latestSequence: tracker.latest,
            lagMilliseconds: tracker.lag(at: now) / 1_000_000, applied: counters.applied,
            keysRemoved: counters.keysRemoved, reconnects: reconnects, replays: counters.replays,
            flushes: counters.flushes, unverifiedServes: counters.unverifiedServes, backlog: backlog,
            applyLatencyP50Milliseconds: percentile(0.5), applyLatencyP99Milliseconds: percentile(0.99),
            sampledReads: samples.sampled, staleReads: samples.stale)
    }
}

extension Duration {
    /// The duration in whole nanoseconds, saturating.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? (seconds < 0 ? .min : .max) : scaled &+ attoseconds / 1_000_000_000
    }
}
