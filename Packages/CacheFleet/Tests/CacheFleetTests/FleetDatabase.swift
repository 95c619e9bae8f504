import CacheEngine
import CacheEngineTesting
@testable import CacheFleet
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Testing

/// The private PostgreSQL cluster `scripts/test.sh` starts with `scripts/catalog-db.sh` and
/// describes in libpq's variables. Tests that need it fail (they do not skip) without it.
enum FleetDatabase {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let script = repositoryRoot.appendingPathComponent("scripts/catalog-db.sh").path
    static let logger: Logger = {
        var logger = Logger(label: "cache-fleet-tests")
        logger.logLevel = ProcessInfo.processInfo.environment["FLEET_TEST_LOG"] == nil ? .critical : .debug
        return logger
    }()

    /// The connection settings from the environment: the unix socket of the private cluster.
    static func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let environment = ProcessInfo.processInfo.environment
        let host = try #require(environment["PGHOST"], "no PostgreSQL: run these tests through scripts/test.sh")
        let port = environment["PGPORT"] ?? "5432"
        var configuration = PostgresConnection.Configuration(
            unixSocketPath: "\(host)/.s.PGSQL.\(port)", username: environment["PGUSER"] ?? "postgres",
            password: nil, database: environment["PGDATABASE"] ?? "postgres")
        configuration.options.connectTimeout = .seconds(2)
        return configuration
    }

    /// Runs `body` with a connection of its own, for writers and fault injection.
    static func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let connection = try await PostgresConnection.connect(configuration: connectionConfiguration(), id: 99, logger: logger)
        do {
            let result = try await body(connection)
            try? await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// A fresh namespace name, so tests share the cluster without seeing each other's log.
    static func namespace(_ stem: String) -> String { "\(stem)-\(UUID().uuidString.prefix(8).lowercased())" }

    /// Stops or starts the cluster with the project's script.
    static func control(_ command: String) throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("fleet-db-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: log) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // posix_spawn, not Foundation's Process: the server `start` leaves running would inherit
        // Process's exit-notification descriptor and waitUntilExit would never return.
        let arguments = ["/bin/bash", script, command]
        var pid: pid_t = 0
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let spawned = posix_spawn(&pid, "/bin/bash", &actions, nil, argv, environ)
        try #require(spawned == 0, "posix_spawn failed: \(spawned)")
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        try #require(status == 0, "scripts/catalog-db.sh \(command) failed: \(text)")
    }
}

/// Polls `condition` every 20 ms until it holds or `bound` passes; true when it held.
func eventually(within bound: Duration, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: bound)
    while clock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}

/// A cache of `Int` keys under one namespace, with a bus running for it until `body` returns;
/// then the bus is cancelled and must have ended, leaving no task behind.
struct BusHarness: Sendable {
    let cache: Cache<Int, String>
    let bus: InvalidationBus
    let namespace: String

    static let checkInterval: Duration = .milliseconds(200)
    static let queryTimeout: Duration = .milliseconds(500)

    static func with<T: Sendable>(
        namespace: String, policy: CoherenceStatus.FailurePolicy = .failClosed, lease: Duration = .seconds(2),
        retention: Duration = .seconds(900), _ body: @Sendable (BusHarness) async throws -> T
    ) async throws -> T {
        let cache = try Cache<Int, String>(capacity: 10_000)
        var configuration = InvalidationBusConfiguration(connection: try FleetDatabase.connectionConfiguration())
        configuration.checkInterval = checkInterval
        configuration.queryTimeout = queryTimeout
        configuration.initialBackoff = .milliseconds(50)
        configuration.maximumBackoff = .milliseconds(400)
        configuration.retention = retention
        let bus = InvalidationBus(
            configuration: configuration,
            namespaces: [.cache(cache, name: namespace, policy: policy, lease: lease, key: { Int($0) })],
            logger: FleetDatabase.logger)
        let harness = BusHarness(cache: cache, bus: bus, namespace: namespace)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await bus.run() }
            defer { group.cancelAll() }
            let listening = await eventually(within: .seconds(10)) { bus.status(of: namespace)?.state == .listening }
            try #require(listening, "the bus did not start listening: \(String(describing: bus.status(of: namespace)))")
            let result = try await body(harness)
            group.cancelAll()
            try await group.waitForAll()
            #expect(bus.status(of: namespace)?.state == .stopped)
            return result
        }
    }

    var status: CoherenceStatus { bus.status(of: namespace)! }

    /// Fills keys with values and returns once they are cached (the bus must be storing).
    func fill(_ keys: Range<Int>) async throws {
        let storing = await eventually(within: .seconds(5)) { cache.coherence.isStoring }
        try #require(storing, "the cache is not storing: \(status)")
        for key in keys { cache.setValue("v\(key)", forKey: key) }
    }

    /// Invalidates `keys` in a transaction of its own, as a writer does.
    func invalidate(_ keys: [Int], on connection: PostgresConnection) async throws {
        try await connection.query("BEGIN", logger: FleetDatabase.logger)
        try await InvalidationPublisher.invalidate(namespace: namespace, keys: keys.map(String.init), on: connection, logger: FleetDatabase.logger)
        try await connection.query("COMMIT", logger: FleetDatabase.logger)
    }
}
