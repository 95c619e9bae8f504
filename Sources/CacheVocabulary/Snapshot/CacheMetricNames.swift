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
}
