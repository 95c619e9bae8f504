import CacheEngine
import CoreMetrics
import Logging
import ServiceLifecycle

/// Reports a cache's figures to swift-metrics, so that whatever backend the host bootstrapped
/// (swift-prometheus, swift-otel, statsd...) carries the cache's families on its own endpoint
/// without extra code.
///
/// A `Service`: add it to the host's `ServiceGroup` beside the cache. `run()` reads one snapshot
/// per `interval` on the given clock and reports what changed; it returns when its task is
/// cancelled or the group shuts down gracefully, after one last report. Nothing runs before
/// `run()` is called.
///
/// The families (every one with the dimension `cache` = the name given here):
///
/// | metric | kind | dimensions |
/// |---|---|---|
/// | `cache_gets_total` | counter | `result` = hit, miss |
/// | `cache_puts_total` | counter | |
/// | `cache_evictions_total` | counter | `cause` = size, expired, explicit |
/// | `cache_replaced_total` | counter | |
/// | `cache_admissions_rejected_total` | counter | |
/// | `cache_loads_total` | counter | `result` = success, failure |
/// | `cache_refreshes_total` | counter | `result` = success, failure |
/// | `cache_sweeps_total` | counter | |
/// | `cache_size`, `cache_weighted_size`, `cache_capacity` | gauge | |
/// | `cache_loads_in_flight`, `cache_load_waiters` | gauge | |
/// | `cache_tasks` | gauge | `kind` |
/// | `cache_load_duration_seconds` | timer | |
///
/// Counters are reported as the increase since the previous snapshot, so a backend's totals
/// equal the cache's own counts. The load timer records, for every load since the previous
/// snapshot, the upper bound of the engine's histogram bucket it fell in (about 19% above the
/// true duration at most): the engine keeps no per-load record, which is what lets it count
/// loads without allocating.
///
/// Cost: one snapshot per interval (O(shards), each shard lock held briefly) and O(families +
/// loads since the last report) metric calls. Not thread-safe itself: one `run()` at a time.
public final class CacheMetricsReporter: Service, @unchecked Sendable {
    /// The value of the `cache` dimension.
    public let name: String
    /// How often a snapshot is read.
    public let interval: Duration
    private let snapshot: @Sendable () -> CacheSnapshot
    private let sleep: @Sendable (Duration) async throws -> Void
    private let factory: any MetricsFactory
    private let logger: Logger
    private var previous: CacheSnapshot?

    /// Creates a reporter for `cache`.
    ///
    /// - Parameters:
    ///   - cache: the cache to report.
    ///   - name: the value of the `cache` dimension, to tell caches apart on one endpoint.
    ///   - interval: how often to read a snapshot; 10 seconds by default.
    ///   - clock: the clock the interval is measured on (`ContinuousClock` by default; tests pass
    ///     a manual clock).
    ///   - factory: the metrics backend; the one the host bootstrapped by default.
    ///   - logger: where the reporter logs its start and stop (debug level).
    public convenience init<Key, Value>(
        cache: Cache<Key, Value>,
        name: String,
        interval: Duration = .seconds(10),
        clock: some Clock<Duration> = ContinuousClock(),
        factory: any MetricsFactory = MetricsSystem.factory,
        logger: Logger
    ) {
        self.init(name: name, interval: interval, clock: clock, factory: factory, logger: logger) {
            cache.snapshot()
        }
    }

    /// Creates a reporter over any source of snapshots (a cache behind another type, a
    /// recording).
    public init(
        name: String,
        interval: Duration = .seconds(10),
        clock: some Clock<Duration> = ContinuousClock(),
        factory: any MetricsFactory = MetricsSystem.factory,
        logger: Logger,
        snapshot: @escaping @Sendable () -> CacheSnapshot
    ) {
        self.name = name
        self.interval = interval
        self.factory = factory
        self.logger = logger
        self.snapshot = snapshot
        self.sleep = { duration in try await clock.sleep(for: duration) }
    }

    /// Reports at every interval until cancelled or shut down gracefully, then reports once more.
    public func run() async throws {
        logger.debug("cache metrics reporter started", metadata: ["cache": "\(name)"])
        defer { logger.debug("cache metrics reporter stopped", metadata: ["cache": "\(name)"]) }
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                self.report()
                do { try await self.sleep(self.interval) } catch { break }
            }
        }
        report()
    }

    /// Reads one snapshot and reports it. O(families + loads since the last report).
    public func report() {
        let current = snapshot()
        let before = previous
        previous = current
        let cache = ("cache", name)

        func count(_ label: String, _ extra: [(String, String)] = [], _ read: (CacheSnapshot) -> Int) {
            let increase = read(current) - (before.map(read) ?? 0)
            guard increase > 0 else { return }
            Counter(label: label, dimensions: [cache] + extra, factory: factory).increment(by: increase)
        }
        func gauge(_ label: String, _ value: Int, _ extra: [(String, String)] = []) {
            Gauge(label: label, dimensions: [cache] + extra, factory: factory).record(value)
        }

        count(CacheMetricNames.gets, [("result", "hit")]) { $0.counters.hits }
        count(CacheMetricNames.gets, [("result", "miss")]) { $0.counters.misses }
        count(CacheMetricNames.puts) { $0.counters.puts }
        count(CacheMetricNames.evictions, [("cause", "size")]) { $0.counters.evictions.size }
        count(CacheMetricNames.evictions, [("cause", "expired")]) { $0.counters.evictions.expired }
        count(CacheMetricNames.evictions, [("cause", "explicit")]) { $0.counters.evictions.explicit }
        count(CacheMetricNames.replaced) { $0.counters.replaced }
        count(CacheMetricNames.admissionsRejected) { $0.counters.admissionsRejected }
        count(CacheMetricNames.loads, [("result", "success")]) { $0.loads.successes }
        count(CacheMetricNames.loads, [("result", "failure")]) { $0.loads.failures }
        count(CacheMetricNames.refreshes, [("result", "success")]) { ($0.loads.refreshes ?? 0) - ($0.loads.refreshFailures ?? 0) }
        count(CacheMetricNames.refreshes, [("result", "failure")]) { $0.loads.refreshFailures ?? 0 }
        count(CacheMetricNames.sweeps) { $0.expiry.sweeps.runs }

        gauge(CacheMetricNames.size, current.count)
        gauge(CacheMetricNames.weightedSize, current.weightedSize)
        gauge(CacheMetricNames.capacity, current.capacity)
        gauge(CacheMetricNames.loadsInFlight, current.loads.inFlight)
        gauge(CacheMetricNames.loadWaiters, current.loads.waiters)
        for (kind, live) in current.tasks.sorted(by: { $0.key < $1.key }) {
            gauge(CacheMetricNames.tasks, live, [("kind", kind)])
        }

        if let bus = current.coherence {
            let earlier = before?.coherence
            func busCount(_ label: String, _ extra: [(String, String)] = [], _ read: (CoherenceStatus) -> Int) {
                let increase = read(bus) - (earlier.map(read) ?? 0)
                guard increase > 0 else { return }
                Counter(label: label, dimensions: [cache] + extra, factory: factory).increment(by: increase)
            }
            for state in CoherenceStatus.State.allCases {
                gauge(CacheMetricNames.busState, bus.state == state ? 1 : 0, [("state", state.rawValue)])
            }
            gauge(CacheMetricNames.busVerified, bus.verified ? 1 : 0)
            gauge(CacheMetricNames.busAppliedSequence, Int(bus.appliedSequence))
            gauge(CacheMetricNames.busLagSequences, Int(bus.lagSequences))
            Gauge(label: CacheMetricNames.busLagSeconds, dimensions: [cache], factory: factory)
                .record(Double(bus.lagMilliseconds) / 1000)
            gauge(CacheMetricNames.busBacklog, bus.backlog)
            for source in ["notify", "replay"] {
                busCount(CacheMetricNames.busInvalidations, [("source", source)]) { $0.applied[source] ?? 0 }
            }
            for reason in CoherenceStatus.FlushReason.allCases {
                busCount(CacheMetricNames.busFlushes, [("reason", reason.rawValue)]) { $0.flushes[reason.rawValue] ?? 0 }
            }
            busCount(CacheMetricNames.busReconnects) { $0.reconnects }
            busCount(CacheMetricNames.busReplays) { $0.replays }
            busCount(CacheMetricNames.unverifiedServes) { $0.unverifiedServes }
            busCount(CacheMetricNames.verifiedReads) { $0.sampledReads }
            busCount(CacheMetricNames.staleReads) { $0.staleReads }
        }

        if let counts = current.loads.latency.bucketCounts {
            let earlier = before?.loads.latency.bucketCounts
            let timer = Timer(label: CacheMetricNames.loadDuration, dimensions: [cache], factory: factory)
            for (index, bucketCount) in counts.enumerated() {
                let new = bucketCount - (earlier.map { index < $0.count ? $0[index] : 0 } ?? 0)
                guard new > 0 else { continue }
                let nanoseconds = min(CacheSnapshot.Loads.Latency.upperBoundNanoseconds(ofBucket: index),
                                      current.loads.latency.maxNanoseconds)
                for _ in 0..<new { timer.recordNanoseconds(nanoseconds) }
            }
        }
    }
}
