/// How far a cache can be trusted to agree with its source of truth, as reported by whatever
/// keeps it coherent across processes (the PostgreSQL invalidation bus of `CacheFleet`).
///
/// The engine does not interpret it: a coherence provider publishes it on the cache and the
/// snapshot, the metrics exporters and the dashboard carry it. Counters are totals since the
/// provider started; encoded with the snake_case keys of `docs/SNAPSHOT.md`.
public struct CoherenceStatus: Sendable, Codable, Equatable {
    /// The provider's connection to the source of invalidations.
    public enum State: String, Sendable, Codable, Equatable, CaseIterable {
        /// Not connected yet, or connecting for the first time.
        case connecting
        /// Subscribed and caught up: invalidations arrive as they commit.
        case listening
        /// The subscription was lost; reconnecting (with backoff) and replaying afterwards.
        case reconnecting
        /// Stopped: the provider's `run()` has ended.
        case stopped
    }

    /// What a namespace does when it cannot be verified within its lease.
    public enum FailurePolicy: String, Sendable, Codable, Equatable {
        /// Flush the cache and stop storing until verified again: no stale read, a cold cache.
        case failClosed = "fail_closed"
        /// Keep serving, report itself unverified, and count the reads served meanwhile.
        case failOpen = "fail_open"
    }

    /// Why a namespace was flushed whole, the keys of ``flushes``.
    public enum FlushReason: String, Sendable, Codable, Equatable, CaseIterable {
        /// A writer invalidated the whole namespace (a fleet flush, or a statement too big to list).
        case namespace
        /// A gap in the sequence that the log no longer covers (pruned past this instance).
        case pruned
        /// The lease ran out with the fail-closed policy.
        case lease
        /// The log went backwards (recreated or reset): nothing applied before can be trusted.
        case reset
    }

    /// The name of the namespace: the invalidation log's and the cache's.
    public var namespace: String
    public var state: State
    /// Whether the namespace was verified against the log within its lease.
    public var verified: Bool
    public var policy: FailurePolicy
    /// The lease, in milliseconds: how long the namespace may go unverified.
    public var leaseMilliseconds: Int64
    /// Time since the namespace was last verified against the log, in milliseconds.
    public var sinceVerifiedMilliseconds: Int64
    /// Whether the cache stores and serves entries (false while a fail-closed namespace is
    /// unverified).
    public var serving: Bool
    /// The last sequence number applied.
    public var appliedSequence: Int64
    /// The highest sequence number known to be committed (from a notification or a check).
    public var latestSequence: Int64
    /// How long the oldest known but unapplied invalidation has waited, in milliseconds; 0 when
    /// none waits.
    public var lagMilliseconds: Int64
    /// Invalidations applied, by where they came from: `notify` or `replay`.
    public var applied: [String: Int]
    /// Keys removed by applied invalidations.
    public var keysRemoved: Int
    /// Reconnections of the subscription after the first connection.
    public var reconnects: Int
    /// Reads of the log to fill a gap or catch up after a (re)subscribe.
    public var replays: Int
    /// Whole-namespace flushes, by ``FlushReason`` raw value.
    public var flushes: [String: Int]
    /// Hits served while the namespace was unverified (fail-open).
    public var unverifiedServes: Int
    /// Notifications received and not yet applied.
    public var backlog: Int
    /// Time from an invalidation's statement to its removal here, in milliseconds (wall clocks
    /// of the database and this host): the median and 99th percentile of the last applied ones.
    public var applyLatencyP50Milliseconds: Double?
    public var applyLatencyP99Milliseconds: Double?
    /// Hits the stale-read sampler re-read from the source, and how many of those were stale.
    public var sampledReads: Int
    public var staleReads: Int

    public init(namespace: String, state: State = .connecting, verified: Bool = false,
                policy: FailurePolicy = .failClosed, leaseMilliseconds: Int64 = 0,
                sinceVerifiedMilliseconds: Int64 = 0, serving: Bool = true, appliedSequence: Int64 = 0,
                latestSequence: Int64 = 0, lagMilliseconds: Int64 = 0, applied: [String: Int] = [:],
                keysRemoved: Int = 0, reconnects: Int = 0, replays: Int = 0, flushes: [String: Int] = [:],
                unverifiedServes: Int = 0, backlog: Int = 0, applyLatencyP50Milliseconds: Double? = nil,
                applyLatencyP99Milliseconds: Double? = nil, sampledReads: Int = 0, staleReads: Int = 0) {
        self.namespace = namespace
        self.state = state
        self.verified = verified
        self.policy = policy
        self.leaseMilliseconds = leaseMilliseconds
        self.sinceVerifiedMilliseconds = sinceVerifiedMilliseconds
        self.serving = serving
        self.appliedSequence = appliedSequence
        self.latestSequence = latestSequence
        self.lagMilliseconds = lagMilliseconds
        self.applied = applied
        self.keysRemoved = keysRemoved
        self.reconnects = reconnects
        self.replays = replays
        self.flushes = flushes
        self.unverifiedServes = unverifiedServes
        self.backlog = backlog
        self.applyLatencyP50Milliseconds = applyLatencyP50Milliseconds
        self.applyLatencyP99Milliseconds = applyLatencyP99Milliseconds
        self.sampledReads = sampledReads
        self.staleReads = staleReads
    }

    /// Sequence numbers known to be committed and not yet applied.
    public var lagSequences: Int64 { max(0, latestSequence - appliedSequence) }

    /// A short word for dashboards: `listening`, `reconnecting`, ... or `unverified` when the
    /// lease has run out whatever the connection's state.
    public var summary: String { verified || state == .stopped ? state.rawValue : "unverified" }

    enum CodingKeys: String, CodingKey {
        case namespace, state, verified, policy, serving, applied, reconnects, replays, flushes, backlog
        case leaseMilliseconds = "lease_ms"
        case sinceVerifiedMilliseconds = "since_verified_ms"
        case appliedSequence = "applied_seq"
        case latestSequence = "latest_seq"
        case lagMilliseconds = "lag_ms"
        case keysRemoved = "keys_removed"
        case unverifiedServes = "unverified_serves"
        case applyLatencyP50Milliseconds = "apply_latency_p50_ms"
        case applyLatencyP99Milliseconds = "apply_latency_p99_ms"
        case sampledReads = "sampled_reads"
        case staleReads = "stale_reads"
    }
}
