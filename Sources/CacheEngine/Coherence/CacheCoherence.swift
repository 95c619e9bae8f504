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
///
/// Concurrency: every member may be called from any thread. The gate and the maximum TTL are
/// atomics read with relaxed ordering on each write (one load each); the status sits behind a
/// mutex taken only by the provider and by snapshots.
public final class CacheCoherence: Sendable {
    let storing = Atomic<Bool>(true)
    let maximumTTL = Atomic<Int64>(0)
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
    @usableFromInline
    func clamp(_ ttl: Int64?) -> Int64? {
        let limit = maximumTTL.load(ordering: .relaxed)
        guard limit > 0 else { return ttl }
        guard let ttl else { return limit }
        return min(ttl, limit)
    }

    @usableFromInline
    var admitsWrites: Bool { storing.load(ordering: .relaxed) }
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
}
