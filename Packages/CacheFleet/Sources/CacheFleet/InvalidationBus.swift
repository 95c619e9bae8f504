import CacheVocabulary
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// Keeps the caches of one process coherent with PostgreSQL: a `Service` the host adds to its
/// `ServiceGroup` beside the caches it invalidates.
///
/// ## Design
///
/// Writers record invalidations **in their own transaction** (`cachetop_invalidate`, or the
/// triggers of `cachetop_watch`): a log row with the namespace's next sequence number, and a
/// NOTIFY that PostgreSQL delivers only if, and after, the transaction commits, in commit order.
/// There is no "commit, then publish" step to lose.
///
/// The bus holds one dedicated connection (never a pooled one). On every (re)connection it
/// LISTENs first and only then reads the committed numbers, as PostgreSQL's documentation
/// prescribes, and replays from the log whatever it missed. Each number is applied once, right
/// after its predecessor; a notification ahead of that triggers a replay of the gap; a gap the
/// log no longer covers (pruned past an instance that was away) flushes the namespace. Every
/// ``InvalidationBusConfiguration/checkInterval`` the bus reads the committed numbers again on
/// the same connection: that repairs a lost notification and doubles as the liveness probe
/// (a statement that outlives ``InvalidationBusConfiguration/queryTimeout`` closes the
/// connection, and the bus reconnects with backoff).
///
/// A namespace is *verified* when a check or replay sent at time t found everything up to the
/// committed number applied; the lease runs from t on the monotonic clock, so a process paused
/// past its lease finds it expired on resume. An unverified fail-closed namespace flushes its
/// cache and stops storing until verified again; a fail-open one keeps serving and says so.
/// Loads racing an invalidation lose (the engine's rule: a removal during a load wins), and
/// every entry carries the namespace's maximum time to live.
///
/// The bus's state per namespace is published on the cache (`CacheCoherence`), so snapshots,
/// `/metrics` and the dashboard show it.
///
/// Concurrency: `run()` runs two loops, the subscription and the lease watchdog, sharing the
/// trackers under one mutex; notifications are applied one at a time in arrival order.
public final class InvalidationBus: Service, Sendable {
    public let configuration: InvalidationBusConfiguration
    let namespaces: [String: BusNamespace]
    let logger: Logger
    let state: Mutex<BusState>
    let now: @Sendable () -> Int64
    let sleep: @Sendable (Duration) async throws -> Void

    /// Creates a bus; nothing connects until ``run()``.
    ///
    /// - Parameters:
    ///   - configuration: the connection and the check, timeout and retention settings.
    ///   - namespaces: the namespaces to keep coherent (distinct names).
    ///   - clock: the monotonic clock leases and intervals are measured on.
    ///   - logger: connection changes, replays and flushes are logged at info, ignored payloads
    ///     at warning.
    public init(configuration: InvalidationBusConfiguration, namespaces: [BusNamespace],
                clock: some Clock<Duration> = ContinuousClock(), logger: Logger) {
        precondition(Set(namespaces.map(\.name)).count == namespaces.count, "namespace names must be distinct")
        self.configuration = configuration
        self.namespaces = Dictionary(uniqueKeysWithValues: namespaces.map { ($0.name, $0) })
        self.logger = logger
        let origin = clock.now
        let nanoseconds: @Sendable () -> Int64 = {
            let elapsed = origin.duration(to: clock.now).components
            return elapsed.seconds * 1_000_000_000 + elapsed.attoseconds / 1_000_000_000
        }
        self.now = nanoseconds
        self.sleep = { try await clock.sleep(for: $0) }
        self.state = Mutex(BusState(namespaces: namespaces, start: nanoseconds()))
    }

    /// Subscribes, applies invalidations and watches the leases until cancelled or shut down
    /// gracefully; then closes its connection and reports the namespaces stopped.
    public func run() async throws {
        for namespace in namespaces.values {
            namespace.setMaximumTimeToLive(namespace.maximumTimeToLive)
            // Unverified from the start: a fail-closed cache stores nothing until the first check.
            if namespace.policy == .failClosed {
                namespace.stopStoring()
                namespace.serveVerified(.zero)
            }
        }
        publishAll()
        logger.info("invalidation bus starting", metadata: ["namespaces": "\(namespaces.keys.sorted())"])
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.maintainSubscription() }
                group.addTask { await self.watchLeases() }
                await group.next()
                group.cancelAll()
            }
        }
        state.withLock { $0.connection = .stopped }
        publishAll()
        logger.info("invalidation bus stopped")
    }

    /// The status of `namespace` now, as published on its cache.
    public func status(of namespace: String) -> CoherenceStatus? {
        let now = now()
        return state.withLock { $0.status(of: namespace, now: now, namespaces: namespaces) }
    }

    /// Whether a value of `key` (in its text form, as invalidations name it) loaded at `stamp`
    /// may be stored in `namespace`'s cache: false when the cache has applied an invalidation
    /// of that key, or a flush, numbered above the stamp, so the value predates it. For loaders
    /// that may read a lagging replica: read the row and `cachetop_stamp(namespace)` in one
    /// statement, and answer `Loaded.uncached(value)` when this is false. Unknown namespaces
    /// admit nothing. O(1); takes the bus's lock.
    public func admits(namespace: String, key: String, stamp: Int64) -> Bool {
        state.withLock { $0.ledgers[namespace]?.admits(key, stamp: stamp) ?? false }
    }

    /// Applies the lease policies, then publishes every namespace's status on its cache, so a
    /// published status and the policy's effect never disagree.
    func publishAll() {
        enforceLeases()
        let now = now()
        let statuses = state.withLock { state in
            namespaces.keys.compactMap { state.status(of: $0, now: now, namespaces: namespaces) }
        }
        for status in statuses { namespaces[status.namespace]?.publish(status) }
    }
}
