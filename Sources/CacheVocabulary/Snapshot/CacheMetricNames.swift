/// The names of the metric families a cache is reported under, defined once: the control
/// socket's Prometheus exposition and the swift-metrics bridge (`CacheMetrics`) both use them.
/// They follow the Prometheus and Micrometer conventions for caches; every family also carries a
/// `cache` dimension naming the cache.
public enum CacheMetricNames {
    /// Lookups, by `result` (hit, miss). Counter.
    public static let gets = "cache_gets_total"
    /// Writes. Counter.
    public static let puts = "cache_puts_total"
    /// Entries removed, by `cause` (size, expired, explicit). Counter.
    public static let evictions = "cache_evictions_total"
    /// Values overwritten by a write. Counter.
    public static let replaced = "cache_replaced_total"
    /// New entries the admission filter turned away. Counter.
    public static let admissionsRejected = "cache_admissions_rejected_total"
    /// Loader calls, by `result` (success, failure). Counter.
    public static let loads = "cache_loads_total"
    /// Background reloads of entries past their refresh age, by `result` (success, failure).
    /// Counter.
    public static let refreshes = "cache_refreshes_total"
    /// Expiry sweeps run. Counter.
    public static let sweeps = "cache_sweeps_total"
    /// Entries in the cache. Gauge.
    public static let size = "cache_size"
    /// Total cost of the entries. Gauge.
    public static let weightedSize = "cache_weighted_size"
    /// The bound on entries, or on cost with a weigher. Gauge.
    public static let capacity = "cache_capacity"
    /// Entries per shard, by `shard`. Gauge.
    public static let shardSize = "cache_shard_size"
    /// Keys being loaded now. Gauge.
    public static let loadsInFlight = "cache_loads_in_flight"
    /// Callers waiting on in-flight loads. Gauge.
    public static let loadWaiters = "cache_load_waiters"
    /// Entries with a deadline, by `horizon`. Gauge.
    public static let expiryScheduled = "cache_expiry_scheduled"
    /// Live background tasks, by `kind`. Gauge.
    public static let tasks = "cache_tasks"
    /// Loader latency, in seconds. Histogram (timer).
    public static let loadDuration = "cache_load_duration_seconds"

    /// Whether the invalidation bus is in each `state` (connecting, listening, reconnecting,
    /// stopped): 1 for the current one. Gauge.
    public static let busState = "cache_bus_state"
    /// 1 while the namespace is verified within its lease, 0 otherwise. Gauge.
    public static let busVerified = "cache_bus_verified"
    /// The last invalidation sequence number applied. Gauge.
    public static let busAppliedSequence = "cache_bus_applied_seq"
    /// Invalidations known to be committed and not yet applied. Gauge.
    public static let busLagSequences = "cache_bus_lag_seq"
    /// How long the oldest unapplied invalidation has waited, in seconds. Gauge.
    public static let busLagSeconds = "cache_bus_lag_seconds"
    /// Invalidations applied, by `source` (notify, replay). Counter.
    public static let busInvalidations = "cache_bus_invalidations_total"
    /// Whole-namespace flushes, by `reason` (namespace, pruned, lease, reset). Counter.
    public static let busFlushes = "cache_bus_flushes_total"
    /// Reconnections of the bus's subscription. Counter.
    public static let busReconnects = "cache_bus_reconnects_total"
    /// Reads of the invalidation log (gap fills and catch-ups). Counter.
    public static let busReplays = "cache_bus_replays_total"
    /// Notifications received and not yet applied. Gauge.
    public static let busBacklog = "cache_bus_notify_backlog"
    /// Hits served while the namespace was unverified (fail-open). Counter.
    public static let unverifiedServes = "cache_unverified_serves_total"
    /// Hits the stale-read sampler re-read from the source. Counter.
    public static let verifiedReads = "cache_verified_reads_total"
    /// Sampled hits whose value differed from the source's. Counter.
    public static let staleReads = "cache_stale_reads_total"
}
