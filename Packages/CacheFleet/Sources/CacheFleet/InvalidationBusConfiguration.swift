import Foundation
import PostgresNIO

/// How the invalidation bus reaches PostgreSQL and how often it checks.
public struct InvalidationBusConfiguration: Sendable {
    /// The bus's own connection (never a pooled one: a pool may close or reuse it, and the
    /// LISTEN would silently end). Its `application_name` is set to `cachetop-bus:<instance>`.
    public var connection: PostgresConnection.Configuration
    /// This process's identity in `application_name` and in the registry.
    public var instance: UUID
    /// How often the bus reads the committed sequence numbers: the liveness probe and the
    /// repair of lost notifications. The staleness bound after a lost notification is about
    /// this plus ``queryTimeout``.
    public var checkInterval: Duration = .seconds(2)
    /// How long one statement of the bus may take before the connection is declared dead.
    public var queryTimeout: Duration = .seconds(1)
    /// The first wait before reconnecting; doubled on each failure up to ``maximumBackoff``.
    public var initialBackoff: Duration = .milliseconds(100)
    public var maximumBackoff: Duration = .seconds(5)
    /// How long the log keeps an invalidation; an instance away for longer flushes on return.
    public var retention: Duration = .seconds(900)
    /// How often the bus deletes log rows older than ``retention``.
    public var pruneInterval: Duration = .seconds(60)
    /// Whether the bus installs or updates ``FleetSchema`` when it first connects.
    public var installsSchema = true

    public init(connection: PostgresConnection.Configuration, instance: UUID = UUID()) {
        self.connection = connection
        self.instance = instance
        self.connection.options.additionalStartupParameters.append(("application_name", "cachetop-bus:\(instance.uuidString.lowercased())"))
    }
}
