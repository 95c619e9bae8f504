import ArgumentParser
import CatalogService
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import UnixSignals

@main
struct CatalogServiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog-service",
        abstract: "The catalog service: products in PostgreSQL, read through an embedded cache.",
        discussion: """
        The database comes from libpq's variables (PGHOST, PGPORT, PGUSER, PGPASSWORD, \
        PGDATABASE); PGHOST may be a socket directory. scripts/catalog-up.sh sets them, starts a \
        private PostgreSQL and this service.
        """,
        subcommands: [Serve.self, Seed.self],
        defaultSubcommand: Serve.self)
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve the HTTP API and the control socket until SIGTERM or SIGINT.")

    @Option(help: "The address the HTTP server listens on.") var host = "127.0.0.1"
    @Option(help: "The HTTP port (0: any free port).") var port = 8080
    @Option(help: "Serve the control socket for `cachetop attach` at this path.") var controlSocket: String?
    @Flag(help: "Read every product from the database (the baseline the cache is measured against).") var noCache = false
    @Option(help: "The most products cached.") var capacity = 100_000
    @Option(help: "Seconds a cached product lives.") var ttl = 60.0
    @Option(help: "Seconds after which a read reloads a product in the background (0: never).") var refreshAfter = 30.0
    @Option(help: "Seconds the absence of a product is remembered.") var absentTTL = 5.0
    @Option(help: "Seconds one database statement may take, waiting for a connection included.") var queryTimeout = 2.0
    @Option(help: "The most database connections.") var connections = 16
    @Flag(help: "Run without the invalidation bus and the fleet registry (a single instance).") var noBus = false
    @Option(help: "When the cache cannot verify itself within the lease: fail-closed (flush, stop caching) or fail-open (serve, flag).")
    var busPolicy = "fail-closed"
    @Option(help: "Seconds the cache may go unverified against the invalidation log.") var busLease = 10.0
    @Option(help: "Seconds between the bus's checks of the log (its liveness probe).") var busCheckInterval = 2.0
    @Option(help: "Seconds the invalidation log keeps an entry; an instance away for longer flushes on return.") var busRetention = 900.0
    @Option(help: "Seconds between registry heartbeats.") var heartbeat = 5.0
    @Option(help: "The fraction of cached reads re-read from the database to count stale ones (0...1).") var staleSampleRate = 0.001
    @Option(help: "The service's name in the fleet registry.") var serviceName = "catalog"
    @Option(help: "This host's name in the fleet registry (default: the kernel's), as cachetop fleet reaches it over SSH.")
    var hostName: String?

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port \(port) is not a port number") }
        guard capacity > 0 else { throw ValidationError("--capacity must be at least 1") }
        guard ttl > 0, absentTTL > 0, queryTimeout > 0 else {
            throw ValidationError("--ttl, --absent-ttl and --query-timeout must be more than 0 seconds")
        }
        guard refreshAfter >= 0, refreshAfter < ttl else {
            throw ValidationError("--refresh-after must be at least 0 and below --ttl (\(ttl)), so that products reload before they expire")
        }
        guard connections > 0 else { throw ValidationError("--connections must be at least 1") }
        guard ["fail-closed", "fail-open"].contains(busPolicy) else {
            throw ValidationError("--bus-policy '\(busPolicy)' is neither fail-closed nor fail-open")
        }
        guard busCheckInterval > 0, busLease >= 2 * busCheckInterval else {
            throw ValidationError("--bus-lease (\(busLease)) must be at least twice --bus-check-interval (\(busCheckInterval)), which must be more than 0")
        }
        guard busRetention >= 1 else { throw ValidationError("--bus-retention must be at least 1 second") }
        guard heartbeat > 0 else { throw ValidationError("--heartbeat must be more than 0 seconds") }
        guard (0...1).contains(staleSampleRate) else { throw ValidationError("--stale-sample-rate must be between 0 and 1") }
        guard !serviceName.isEmpty else { throw ValidationError("--service-name must not be empty") }
        if let hostName, hostName.isEmpty || hostName.contains(where: \.isWhitespace) {
            throw ValidationError("--host-name must be a host name, got '\(hostName)'")
        }
    }

    func run() async throws {
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        let logger = Logger(label: "catalog-service")
        var database = try DatabaseSettings.fromEnvironment(ProcessInfo.processInfo.environment)
        database.queryTimeout = .seconds(queryTimeout)
        database.maximumConnections = connections
        var configuration = CatalogService.Configuration(database: database)
        configuration.httpHost = host
        configuration.httpPort = port
        configuration.controlSocket = controlSocket
        configuration.cache.enabled = !noCache
        configuration.cache.capacity = capacity
        configuration.cache.ttl = .seconds(ttl)
        configuration.cache.refreshAfter = refreshAfter > 0 ? .seconds(refreshAfter) : nil
        configuration.cache.absentTTL = .seconds(absentTTL)
        configuration.fleet.enabled = !noBus
        configuration.fleet.policy = busPolicy == "fail-open" ? .failOpen : .failClosed
        configuration.fleet.lease = .seconds(busLease)
        configuration.fleet.checkInterval = .seconds(busCheckInterval)
        configuration.fleet.retention = .seconds(busRetention)
        configuration.fleet.heartbeatInterval = .seconds(heartbeat)
        configuration.fleet.staleSampleRate = staleSampleRate
        configuration.fleet.serviceName = serviceName
        if let hostName { configuration.fleet.hostName = hostName }
        let metrics = MetricsEndpoint()
        metrics.bootstrap()
        let socket = controlSocket
        let service = try CatalogService(configuration: configuration, metrics: metrics, logger: logger) { port in
            var lines = ["catalog-service: http://\(host):\(port) (metrics at /metrics)"]
            if let socket { lines.append("catalog-service: attach with `cachetop attach \(socket)`") }
            // Written at once, unbuffered: scripts and tests read the port from this line.
            FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        }
        let group = ServiceGroup(configuration: .init(services: service.services.map { .init(service: $0) },
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

struct Seed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create the products table and fill it with products 1 through --rows.")

    @Option(help: "How many products.") var rows = 1_000_000

    func validate() throws {
        guard rows >= 0 else { throw ValidationError("--rows must not be negative") }
    }

    func run() async throws {
        let logger = Logger(label: "catalog-service")
        let database = try DatabaseSettings.fromEnvironment(ProcessInfo.processInfo.environment)
        let client = PostgresClient(configuration: database.clientConfiguration, backgroundLogger: logger)
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            try await CatalogSchema.seed(rows: rows, client: client, logger: logger)
            print("catalog-service: \(rows) products seeded")
        }
    }
}
