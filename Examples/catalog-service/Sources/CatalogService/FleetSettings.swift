import CacheVocabulary
import Foundation

/// How the catalog joins its fleet: the invalidation bus that keeps its cache coherent with
/// the other instances through PostgreSQL, the registry heartbeat `cachetop fleet` reads, and
/// the stale-read sampler.
public struct FleetSettings: Sendable {
    /// Whether the bus and the registry run (they need the cache).
    public var enabled = true
    /// What the product cache does when it cannot verify itself within ``lease``.
    public var policy: CoherenceStatus.FailurePolicy = .failClosed
    public var lease: Duration = .seconds(10)
    /// How often the bus checks the log (its probe and its repair of lost notifications).
    public var checkInterval: Duration = .seconds(2)
    /// The longest any product stays cached, whatever the TTL: the last backstop.
    public var maximumTimeToLive: Duration = .seconds(300)
    /// How long the log keeps an invalidation (an instance away longer flushes on return).
    public var retention: Duration = .seconds(900)
    /// Between registry heartbeats.
    public var heartbeatInterval: Duration = .seconds(5)
    /// The fraction of cached reads re-read from the database to count stale ones.
    public var staleSampleRate = 0.001
    /// The service's name in the registry.
    public var serviceName = "catalog"
    /// The host's name in the registry, which `cachetop fleet` compares with its own to reach
    /// the control socket directly or over SSH (in a container, the node's name rather than
    /// the container's).
    public var hostName = ProcessInfo.processInfo.hostName
    /// This process's identity in the registry and in `application_name`.
    public var instance = UUID()

    public init() {}
}
