import Foundation
import Logging
import Metrics
import PostgresNIO

/// The `products` table, through a pooled postgres-nio client.
///
/// Every call has a deadline (``queryTimeout``): with the database down, postgres-nio keeps a
/// lease request waiting while it retries connecting, so without one a request would hang and
/// its task would stay. On timeout the call throws ``DatabaseUnavailable`` and cancels its lease.
///
/// Thread-safe: the client's pool serializes access to each connection. Counts every statement
/// it sends in the `catalog_db_queries_total` counter (dimension `statement`).
public final class ProductStore: Sendable {
    /// The client this store queries; the host runs it in its service group.
    public let client: PostgresClient
    /// How long one call may wait for a connection and its answer together.
    public let queryTimeout: Duration
    private let logger: Logger
    private let queries: QueryCounters

    public init(client: PostgresClient, queryTimeout: Duration = .seconds(2), logger: Logger,
                metrics: any MetricsFactory = MetricsSystem.factory) {
        self.client = client
        self.queryTimeout = queryTimeout
        self.logger = logger
        self.queries = QueryCounters(factory: metrics)
    }

    /// The product with `id`, or nil when no row has it. One indexed lookup.
    public func product(id: Int64) async throws -> Product? {
        queries.single.increment()
        return try await first(
            "SELECT id, name, price_cents, stock, version, updated_at FROM products WHERE id = \(id)")
    }

    /// The products among `ids` that exist, by id. One statement (`id = ANY($1)`), however many ids.
    public func products(ids: [Int64]) async throws -> [Int64: Product] {
        queries.batch.increment()
        let rows = try await all(
            "SELECT id, name, price_cents, stock, version, updated_at FROM products WHERE id = ANY(\(ids))")
        return Dictionary(rows.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Applies `change` to the product with `id`, raising its version; the updated row, or nil
    /// when no row has that id. One statement, committed when this returns.
    public func update(id: Int64, with change: ProductChange) async throws -> Product? {
        queries.update.increment()
        return try await first("""
            UPDATE products SET name = \(change.name), price_cents = \(change.priceCents), stock = \(change.stock),
                version = version + 1, updated_at = now()
            WHERE id = \(id)
            RETURNING id, name, price_cents, stock, version, updated_at
            """)
    }

    /// Deletes the product with `id`; whether a row was deleted. Committed when this returns.
    public func delete(id: Int64) async throws -> Bool {
        queries.delete.increment()
        let ids = try await withDeadline {
            var found: [Int64] = []
            for try await id in try await self.client.query("DELETE FROM products WHERE id = \(id) RETURNING id",
                                                             logger: self.logger).decode(Int64.self) {
                found.append(id)
            }
            return found
        }
        return !ids.isEmpty
    }

    /// Whether the database answers `SELECT 1` within `timeout`.
    public func isReachable(within timeout: Duration = .seconds(1)) async -> Bool {
        do {
            return try await withDeadline(timeout) {
                try await self.client.query("SELECT 1", logger: self.logger).decode(Int32.self)
                    .reduce(into: 0) { $0 += $1 } == 1
            }
        } catch {
            return false
        }
    }

    private func first(_ query: PostgresQuery) async throws -> Product? {
        try await all(query).first
    }

    private func all(_ query: PostgresQuery) async throws -> [Product] {
        try await withDeadline {
            var products: [Product] = []
            let rows = try await self.client.query(query, logger: self.logger)
            for try await (id, name, price, stock, version, updated) in rows.decode((Int64, String, Int64, Int32, Int64, Date).self) {
                products.append(Product(id: id, name: name, priceCents: price, stock: stock, version: version, updatedAt: updated))
            }
            return products
        }
    }

    private func withDeadline<T: Sendable>(
        _ timeout: Duration? = nil, _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let timeout = timeout ?? queryTimeout
        do {
            return try await Deadline.run(within: timeout, operation)
        } catch let error as Deadline.Exceeded {
            throw DatabaseUnavailable(reason: "no answer within \(error.limit)")
        } catch let error as PSQLError where error.serverInfo != nil {
            // The server answered and refused the statement: a bug in this store, not an outage.
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            // Connection failures, the pool's circuit breaker after repeated ones, a closed
            // channel: the database is away.
            throw DatabaseUnavailable(reason: Self.describe(error))
        }
    }

    private static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError { return "\(error.code)" }
        return "\(error)"
    }
}

/// The database could not be reached, or did not answer in time.
public struct DatabaseUnavailable: Error, CustomStringConvertible {
    public var reason: String
    public var description: String { "database unavailable: \(reason)" }
}

/// The store's per-statement query counters.
struct QueryCounters: Sendable {
    static let label = "catalog_db_queries_total"
    let single, batch, update, delete: Counter

    init(factory: any MetricsFactory) {
        func counter(_ statement: String) -> Counter {
            Counter(label: Self.label, dimensions: [("statement", statement)], factory: factory)
        }
        single = counter("product")
        batch = counter("products")
        update = counter("update")
        delete = counter("delete")
    }
}
