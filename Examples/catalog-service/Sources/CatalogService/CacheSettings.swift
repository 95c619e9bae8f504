/// How the catalog caches products.
public struct CacheSettings: Sendable {
    /// Whether reads go through the cache at all (off: every read queries the database).
    public var enabled = true
    /// The most products cached.
    public var capacity = 100_000
    /// How long a cached product lives.
    public var ttl: Duration = .seconds(60)
    /// The age after which a read reloads a product in the background (below ``ttl``, so that
    /// popular products are reloaded before they expire).
    public var refreshAfter: Duration? = .seconds(30)
    /// How long the absence of a product is remembered.
    public var absentTTL: Duration = .seconds(5)
    /// The clock the cache's lifetimes run on; tests pass a manual one to expire entries
    /// without waiting.
    public var clock: any Clock<Duration> = ContinuousClock()

    public init() {}
}
