/// A loader's answer together with how long the cache keeps it: the value and its time to
/// live, or the key's absence and how long to remember that it has none.
///
/// A loader that knows its answer's lifetime (a token's `expires_in`, an HTTP `max-age`) returns
/// it here instead of the cache guessing one TTL for every key.
public struct Loaded<Value: Sendable>: Sendable {
    /// The value, or nil when the key does not exist.
    public var value: Value?
    /// For a value: its time to live (nil: the cache's default TTL). For an absence: how long to
    /// cache it (nil: do not cache it).
    public var ttl: Duration?
    /// Whether the cache stores the answer; false answers the callers waiting on the load and
    /// stores nothing (see ``uncached(_:)``).
    public var stored = true

    /// A value that lives for `ttl` (nil: the cache's default TTL).
    public static func value(_ value: Value, ttl: Duration? = nil) -> Loaded {
        Loaded(value: value, ttl: ttl)
    }

    /// The key has no value; the absence is cached for `ttl` (nil: not cached, so the next
    /// request loads again).
    public static func absent(ttl: Duration?) -> Loaded {
        Loaded(value: nil, ttl: ttl)
    }

    /// An answer for the callers waiting on this load only: nothing is stored, and the next read
    /// loads again. For a loader that finds its answer may be older than what the cache already
    /// knows, such as a row read from a replica that has not yet replayed an invalidation the
    /// cache applied (`CacheFleet`'s version stamps).
    public static func uncached(_ value: Value?) -> Loaded {
        var loaded = Loaded(value: value, ttl: nil)
        loaded.stored = false
        return loaded
    }

    /// `value` with `ttl` when there is one, the absence with `absentTTL` when there is not.
    public init(value: Value?, ttl: Duration?, absentTTL: Duration?) {
        self.value = value
        self.ttl = value == nil ? absentTTL : ttl
    }

    init(value: Value?, ttl: Duration?) {
        self.value = value
        self.ttl = ttl
    }
}
