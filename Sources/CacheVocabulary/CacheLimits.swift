/// Bounds on configuration values (the engine adds `maximumEntriesPerShard`, which follows
/// from its slot layout).
public enum CacheLimits {
    /// The largest capacity (entries or cost) a cache accepts.
    public static let maximumCapacity = 1 << 48
    /// The most shards a cache may have.
    public static let maximumShards = 4096
    /// The smallest per-shard capacity the default shard count aims for: a per-shard policy
    /// loses accuracy when its share of the capacity is small.
    public static let preferredShardCapacity = 8192
}
