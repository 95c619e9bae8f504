/// Why an entry left the cache. Passed to the removal listener and counted in the snapshot.
public enum RemovalCause: String, Sendable, Codable, CaseIterable {
    /// Evicted by the policy to keep the cache within its capacity.
    case size
    /// Its time to live ran out (found by a read, or removed by the expiry sweep).
    case expired
    /// Removed by `remove(_:)` or `removeAll()`.
    case explicit
    /// Its value was overwritten by `setValue`.
    case replaced
}

/// The result of a read that distinguishes a cached absence from a miss.
public enum CacheLookup<Value> {
    /// The key is cached with this value.
    case hit(Value)
    /// The key is cached as known not to exist (a negative entry written by a loader).
    case absent
    /// The key is not cached.
    case miss
}

extension CacheLookup: Sendable where Value: Sendable {}
extension CacheLookup: Equatable where Value: Equatable {}

/// An error the engine reports for an invalid argument. Nothing changes when one is thrown.
///
/// A `CodedError` (a struct with an open `code` and a `message`, rather than an enum, so that
/// new codes do not break a client's exhaustive `switch`): match on its code
/// (`if error.code == .invalidCapacity`).
public typealias CacheError = CodedError<CacheErrorDomain>

/// The domain of ``CacheError``: invalid arguments to a cache.
public enum CacheErrorDomain {}

extension CodedError where Domain == CacheErrorDomain {
    /// A capacity below 1 (or above the supported maximum) was requested.
    public static func invalidCapacity(_ value: Int) -> CacheError {
        CacheError(code: .invalidCapacity,
                   message: "invalid capacity \(value): it must be between 1 and \(CacheLimits.maximumCapacity)")
    }

    /// A shard count that is not a power of two between 1 and 4096.
    public static func invalidShardCount(_ value: Int) -> CacheError {
        CacheError(code: .invalidShardCount,
                   message: "invalid shard count \(value): it must be a power of two between 1 and \(CacheLimits.maximumShards)")
    }

    /// A time to idle of zero or less.
    public static func invalidTimeToIdle(_ value: Duration) -> CacheError {
        CacheError(code: .invalidTimeToIdle, message: "invalid time to idle \(value): it must be positive")
    }

    /// An entry capacity whose per-shard share exceeds what one shard can index.
    public static func tooFewShards(capacity: Int, shards: Int) -> CacheError {
        CacheError(code: .tooFewShards,
                   message: "capacity \(capacity) is too large for \(shards) shard(s): one shard holds at most \(CacheLimits.maximumEntriesPerShard) entries")
    }
}

/// What `resize(capacity:)` did.
public struct ResizeReport: Sendable, Equatable, Codable {
    public var oldCapacity: Int
    public var newCapacity: Int
    /// Entries evicted to bring the cache within the new capacity.
    public var evicted: Int

    enum CodingKeys: String, CodingKey {
        case oldCapacity = "old_capacity"
        case newCapacity = "new_capacity"
        case evicted
    }
}

extension ErrorCode where Domain == CacheErrorDomain {
    /// A capacity below 1, or above `CacheLimits.maximumCapacity`.
    public static var invalidCapacity: Self { Self(rawValue: "invalid_capacity") }
    /// A shard count that is not a power of two between 1 and `CacheLimits.maximumShards`.
    public static var invalidShardCount: Self { Self(rawValue: "invalid_shard_count") }
    /// An entry capacity whose per-shard share exceeds what one shard can index.
    public static var tooFewShards: Self { Self(rawValue: "too_few_shards") }
    /// A time to idle of zero or less.
    public static var invalidTimeToIdle: Self { Self(rawValue: "invalid_time_to_idle") }
}
