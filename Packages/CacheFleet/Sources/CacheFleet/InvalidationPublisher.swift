import Logging
import PostgresNIO

/// What a writer calls to invalidate cached keys: inside the transaction that changes the data,
/// so the invalidation commits with the change or not at all, and is announced only on commit.
///
/// Call it as the last statement before COMMIT: it takes the namespace's row lock until the
/// commit (that lock is what keeps the sequence gap-free and in commit order). Under REPEATABLE
/// READ or SERIALIZABLE a concurrent writer of the same namespace may get a serialization
/// failure and must retry, as with any update of a shared row.
public enum InvalidationPublisher {
    /// Records the invalidation of `keys` in `namespace`, on `connection`'s open transaction
    /// (or as a transaction of its own outside one). Keys are compared as text with the cache's
    /// keys (`BusNamespace`'s `key` parses them back). More than 1,000 keys invalidate the whole
    /// namespace. Returns the invalidation's sequence number, nil for no keys.
    @discardableResult
    public static func invalidate(namespace: String, keys: [String], origin: String? = nil,
                                  on connection: PostgresConnection, logger: Logger) async throws -> Int64? {
        let rows = try await connection.query(
            "SELECT cachetop_invalidate(\(namespace), \(keys), \(origin))", logger: logger)
        for try await sequence in rows.decode(Int64?.self) { return sequence }
        return nil
    }

    /// Invalidates the whole of `namespace` on every instance, through the log: instances away
    /// when it commits flush on their return (they replay it, or find the log pruned). Returns
    /// its sequence number.
    @discardableResult
    public static func flush(namespace: String, origin: String? = nil,
                             on connection: PostgresConnection, logger: Logger) async throws -> Int64 {
        let rows = try await connection.query(
            "SELECT cachetop_invalidate(\(namespace), NULL, \(origin))", logger: logger)
        for try await sequence in rows.decode(Int64.self) { return sequence }
        throw NoSequenceReturned(namespace: namespace)
    }
}

/// `cachetop_invalidate` answered a flush without a sequence number (the schema is not
/// `FleetSchema`'s).
public struct NoSequenceReturned: Error, CustomStringConvertible {
    public let namespace: String
    public var description: String { "cachetop_invalidate returned no sequence number for namespace '\(namespace)'" }
}
