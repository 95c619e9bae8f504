import CacheEngine
import CacheVocabulary

/// A namespace the invalidation bus keeps coherent: its name in the log, its failure policy and
/// lease, and the cache it invalidates.
///
/// Keys travel as text (the writer's `cachetop_invalidate(ns, keys)` or the trigger's key
/// column cast to text); `key` turns them back into the cache's keys, and a key it cannot parse
/// is counted and skipped.
public struct BusNamespace: Sendable {
    public let name: String
    public let policy: CoherenceStatus.FailurePolicy
    /// How long the namespace may go without being verified against the log before its policy
    /// applies.
    public let lease: Duration
    /// The longest time to live any entry of the namespace's cache is stored with: the last
    /// backstop when every other mechanism fails.
    public let maximumTimeToLive: Duration

    let removeKeys: @Sendable ([String]) -> (removed: Int, unparsable: Int)
    let removeAll: @Sendable () -> Void
    let stopStoring: @Sendable () -> Void
    let resumeStoring: @Sendable () -> Void
    let isStoring: @Sendable () -> Bool
    let publish: @Sendable (CoherenceStatus) -> Void
    let hits: @Sendable () -> Int
    let setMaximumTimeToLive: @Sendable (Duration) -> Void
    /// Moves the cache's serving deadline to the end of what is left of the lease.
    let serveVerified: @Sendable (Duration) -> Void
    let sampleCounts: (@Sendable () -> (sampled: Int, stale: Int))?

    /// A namespace backed by `cache`.
    ///
    /// - Parameters:
    ///   - name: the namespace in the log (`cachetop_invalidate`'s first argument); also the
    ///     name the cache is served under on the control socket, by convention.
    ///   - cache: the cache to invalidate.
    ///   - policy: `.failClosed` (flush and stop storing while unverified) or `.failOpen`
    ///     (keep serving, report unverified).
    ///   - lease: how long the namespace may stay unverified; at least twice the bus's check
    ///     interval.
    ///   - maximumTimeToLive: applied to every write of the cache.
    ///   - key: parses a key from its text form; nil for text that is not a key.
    ///   - sampler: the stale-read sampler of the cache's reads, whose counts the status carries.
    public static func cache<Key, Value>(
        _ cache: Cache<Key, Value>,
        name: String,
        policy: CoherenceStatus.FailurePolicy = .failClosed,
        lease: Duration = .seconds(10),
        maximumTimeToLive: Duration = .seconds(600),
        key: @escaping @Sendable (String) -> Key?,
        sampler: StaleReadSampler<Key, Value>? = nil
    ) -> BusNamespace {
        BusNamespace(
            name: name, policy: policy, lease: lease, maximumTimeToLive: maximumTimeToLive,
            removeKeys: { texts in
                var removed = 0
                var unparsable = 0
                for text in texts {
                    guard let parsed = key(text) else { unparsable += 1; continue }
                    cache.removeValue(forKey: parsed)
                    removed += 1
                }
                return (removed, unparsable)
            },
            removeAll: { cache.removeAll() },
            stopStoring: { cache.stopStoring() },
            resumeStoring: { cache.resumeStoring() },
            isStoring: { cache.coherence.isStoring },
            publish: { cache.coherence.publish($0) },
            hits: { cache.snapshot().counters.hits },
            setMaximumTimeToLive: { cache.coherence.maximumTimeToLive = $0 },
            serveVerified: { cache.serveVerified(for: $0) },
            sampleCounts: sampleCounts(of: sampler))
    }

    private static func sampleCounts<Key, Value>(
        of sampler: StaleReadSampler<Key, Value>?
    ) -> (@Sendable () -> (sampled: Int, stale: Int))? {
        guard let sampler else { return nil }
        return { sampler.results }
    }
}
