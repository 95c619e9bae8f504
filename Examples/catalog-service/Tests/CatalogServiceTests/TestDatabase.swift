import CatalogService
import Foundation
import Logging
import PostgresNIO
import Testing

/// The private PostgreSQL cluster that `scripts/test.sh` starts with `scripts/catalog-db.sh`
/// and describes in libpq's variables. Tests that need it fail (they do not skip) when it is
/// not there: they are the proof that the service works against the real database.
enum TestDatabase {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let script = repositoryRoot.appendingPathComponent("scripts/catalog-db.sh").path
    static let rows = 10_000
    static let logger = Logger(label: "catalog-tests")

    /// The database settings from the environment.
    static func settings() throws -> DatabaseSettings {
        let environment = ProcessInfo.processInfo.environment
        try #require(environment["PGHOST"] != nil && environment["CATALOG_DIR"] != nil,
                     "no PostgreSQL: run these tests through scripts/test.sh, which starts one with scripts/catalog-db.sh")
        return try DatabaseSettings.fromEnvironment(environment)
    }

    /// Runs `body` with a client of its own (not the service's), for setup and for reading the
    /// database's statistics.
    static func withClient<T: Sendable>(_ body: @Sendable (PostgresClient) async throws -> T) async throws -> T {
        var quiet = logger
        quiet.logLevel = .critical
        let client = PostgresClient(configuration: try settings().clientConfiguration, backgroundLogger: quiet)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }

    /// Products 1 through ``rows``, version 1; the statement statistics and the fleet registry reset.
    static func reset() async throws {
        try await withClient { client in
            try await CatalogSchema.seed(rows: rows, client: client, logger: logger)
            // Each test starts its own instances: rows of earlier ones (killed, or still
            // within their hour) would be listed beside them.
            try await client.query("DELETE FROM cachetop_instance")
            try await client.query("SELECT pg_stat_statements_reset()")
        }
    }

    /// How many times the service's single-product statement ran since the last reset, as the
    /// database counts them (pg_stat_statements).
    static func singleProductQueries(_ client: PostgresClient) async throws -> Int64 {
        let rows = try await client.query("""
            SELECT coalesce(sum(calls), 0)::bigint FROM pg_stat_statements
            WHERE query LIKE 'SELECT id, name, price_cents, stock, version, updated_at FROM products WHERE id = $1%'
            """)
        return try await rows.decode(Int64.self).reduce(0, +)
    }

    static func resetStatistics(_ client: PostgresClient) async throws {
        try await client.query("SELECT pg_stat_statements_reset()")
    }

    /// Stops or starts the cluster with the project's script (or `listen ADDRESS CLIENT`,
    /// `loopback`).
    static func control(_ command: String, _ arguments: String...) throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("catalog-db-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: log) }
        let status = try spawnAndWait(["/bin/bash", script, command] + arguments, output: log)
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        try #require(status == 0, "scripts/catalog-db.sh \(command) failed: \(text)")
    }

    /// Runs a program to its end with its output in the file `output`; its exit status.
    ///
    /// posix_spawn and waitpid rather than Foundation's `Process`: `Process` learns of the
    /// child's exit from a descriptor the child inherits, and the server `start` leaves running
    /// inherits it in turn, so `waitUntilExit` would never return.
    static func spawnAndWait(_ arguments: [String], output: String) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, arguments[0], &actions, nil, &argv, environ)
        guard spawned == 0 else { throw CatalogSetupError("cannot start \(arguments[0]): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1, errno == EINTR {}
        // Exit status as the shell reports it: the code when it exited, 128 + the signal otherwise.
        return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }
}
