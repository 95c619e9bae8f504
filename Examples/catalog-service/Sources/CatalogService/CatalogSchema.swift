import CacheFleet
import Logging
import PostgresNIO

/// The `products` table: its definition and the seed data the service, its scripts and its
/// tests start from.
public enum CatalogSchema {
    /// The table, if it does not exist yet.
    public static let createTable: PostgresQuery = """
        CREATE TABLE IF NOT EXISTS products (
            id          bigint PRIMARY KEY,
            name        text NOT NULL,
            price_cents bigint NOT NULL CHECK (price_cents >= 0),
            stock       integer NOT NULL CHECK (stock >= 0),
            version     bigint NOT NULL DEFAULT 1,
            updated_at  timestamptz NOT NULL DEFAULT now()
        )
        """

    /// Replaces the table's rows with products 1 through `rows` (version 1), in one transaction.
    /// Seeding one million rows takes a few seconds.
    public static func seed(rows: Int, client: PostgresClient, logger: Logger) async throws {
        precondition(rows >= 0, "a row count is not negative")
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query(createTable, logger: logger)
            try await connection.query("TRUNCATE products", logger: logger)
            try await connection.query("""
                INSERT INTO products (id, name, price_cents, stock)
                SELECT g, 'Product ' || g, 100 + (g * 7919) % 99900, (g * 31) % 1000
                FROM generate_series(1, \(Int64(rows))) AS g
                """, logger: logger)
        }
        try await client.query("ANALYZE products", logger: logger)
        try await watch(client: client, logger: logger)
    }

    /// Installs the fleet's schema and makes every statement on `products` (the service's own
    /// writes, and changes made by hand in psql) invalidate namespace `products` in the same
    /// transaction. Idempotent.
    public static func watch(client: PostgresClient, logger: Logger) async throws {
        try await client.withConnection { connection in
            try await FleetSchema.install(on: connection, logger: logger)
            try await FleetSchema.watch(table: "products", namespace: namespace, keyColumn: "id",
                                        on: connection, logger: logger)
        }
    }

    /// The invalidation namespace of the products (and the cache's name).
    public static let namespace = "products"
}
