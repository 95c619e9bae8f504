import Synchronization

/// The hooks through which something outside the engine keeps a cache coherent with its
/// source of truth across processes: the invalidation bus of `CacheFleet` uses them, and the
/// engine knows nothing of where invalidations come from.
///
/// - A status (`CoherenceStatus`, from CacheVocabulary) the provider publishes; snapshots carry it.
/// - A storing gate: while closed, writes and loaded values are not stored (reads miss once
///   ``Cache/stopStoring()`` has emptied the cache). A fail-closed namespace closes it when it
///   can no longer verify itself.
/// - A maximum time to live applied to every write, the last backstop when invalidations are
///   lost: an entry written with a longer TTL, or with none, gets this one.
/// - A serving deadline: past it, reads miss and writes are not stored, checked on every read
///   against the cache's clock. The provider of a fail-closed namespace moves it to the end of
///   the lease on each verification (``Cache/serveVerified(for:)``), so a process that was
///   stopped, or whose provider is stuck, stops serving at the lease's end on its first read,
///   before any watchdog runs.
///
/// Concurrency: every member may be called from any thread. The gate, the maximum TTL and the
/// deadline are atomics read with relaxed ordering (one load each per read or write, and a
/// clock read only while a deadline is set); the status sits behind a mutex taken only by the
/// provider and by snapshots.
public final class CacheCoherence: Sendable {
    @usableFromInline let storing = Atomic<Bool>(true)
    @usableFromInline let maximumTTL = Atomic<Int64>(0)
    /// The clock reading (nanoseconds) after which nothing is served or stored; 0 for none.
    @usableFromInline let servingDeadline = Atomic<Int64>(0)
    let reported = Mutex<CoherenceStatus?>(nil)

    init() {}

    /// The status last published; nil when no provider manages the cache.
    public var status: CoherenceStatus? { reported.withLock { $0 } }

    /// Publishes the provider's status (nil to withdraw it). O(1).
    public func publish(_ status: CoherenceStatus?) {
        reported.withLock { $0 = status }
    }

    /// Whether writes and loaded values are stored.
    public var isStoring: Bool { storing.load(ordering: .acquiring) }

    /// The longest time to live any entry is stored with; nil for no limit.
    public var maximumTimeToLive: Duration? {
        get {
            let nanoseconds = maximumTTL.load(ordering: .relaxed)
            return nanoseconds > 0 ? .nanoseconds(nanoseconds) : nil
        }
        set {
            maximumTTL.store(newValue.map { max(1, $0.nanosecondsClamped) } ?? 0, ordering: .relaxed)
        }
    }

    /// `ttl` (nanoseconds, nil for none) clamped to the maximum time to live.
    @inlinable
    func clamp(_ ttl: Int64?) -> Int64? {
        let limit = maximumTTL.load(ordering: .relaxed)
        guard limit > 0 else { return ttl }
        guard let ttl else { return limit }
        return min(ttl, limit)
    }

    @inlinable
    var admitsWrites: Bool { storing.load(ordering: .relaxed) }

    /// Whether the serving deadline has passed at `clock`'s reading (never without one).
    @inlinable
    func isPastDeadline(_ clock: EngineClock) -> Bool {
        let deadline = servingDeadline.load(ordering: .relaxed)
        return deadline != 0 && clock.nanoseconds() > deadline
    }
}

extension Cache {
    /// Empties the cache and stops storing: until ``resumeStoring()``, writes and loaded values
    /// are dropped, so every read misses and loads from the source each time. Loads in flight
    /// when it is called do not store their results (a removal during a load wins). For a
    /// coherence provider that can no longer tell whether the cache is current. O(entries).
    public func stopStoring() {
        coherence.storing.store(false, ordering: .releasing)
        removeAll()
    }

    /// Stores writes and loaded values again after ``stopStoring()``. O(1).
    public func resumeStoring() {
        coherence.storing.store(true, ordering: .releasing)
    }

    /// Serves and stores for `remaining` more time by the cache's clock, then misses every read
    /// and drops every write until called again: a coherence provider calls it each time it
    /// verifies the cache, with what is left of its lease. O(1).
    public func serveVerified(for remaining: Duration) {
        let deadline = clock.nanoseconds() &+ max(0, remaining.nanosecondsClamped)
        coherence.servingDeadline.store(max(1, deadline), ordering: .relaxed)
    }

    /// Removes the serving deadline: reads and writes no longer depend on a verification. O(1).
    public func serveWithoutDeadline() {
        coherence.servingDeadline.store(0, ordering: .relaxed)
    }
}
