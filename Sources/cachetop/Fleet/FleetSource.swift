import CacheDashboard
import CacheVocabulary

/// Where `cachetop fleet` finds its instances: the registry table in the service's PostgreSQL
/// (``RegistryFleetSource``), or control sockets it polls itself (``SocketFleetSource``).
protocol FleetSource: Sendable {
    /// Named in the header.
    var label: String { get }
    /// Whether ``flush(namespace:)`` can reach the invalidation log.
    var canFlush: Bool { get }
    /// Every instance this source knows, with the age of its report.
    /// - Throws: a ``FleetSourceError`` naming what failed.
    func members() async throws -> [FleetMember]
    /// Invalidates `namespace` everywhere through the invalidation log; returns the log's
    /// sequence number for it, which each instance's bus status reaches once applied.
    func flush(namespace: String) async throws -> Int64
}

/// A poll or an action that failed, as one line.
struct FleetSourceError: Error, CustomStringConvertible {
    let description: String
}
