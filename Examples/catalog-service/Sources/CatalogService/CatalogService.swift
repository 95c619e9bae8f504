import CacheControl
import CacheEngine
import CacheFleet
import CacheMetrics
import Hummingbird
import Logging
import PostgresNIO
import ServiceLifecycle

/// The catalog service, assembled: the PostgreSQL client, the product cache and its metrics
/// bridge, the control socket cachetop attaches to, and the HTTP server; all in one service
/// group that the host runs.
///
/// Shutdown goes in reverse order of ``services``: the HTTP server stops accepting and finishes
/// the requests in flight, then the control socket closes (its file removed), the metrics
/// reporter reports once more, the cache ends its background tasks, and the database client
/// closes its connections.
public struct CatalogService: Sendable {
    public struct Configuration: Sendable {
        public var database: DatabaseSettings
        public var cache = CacheSettings()
        /// The HTTP server's address: loopback by default.
        public var httpHost = "127.0.0.1"
        /// The HTTP port; 0 picks a free one (reported to `onListening`).
        public var httpPort = 8080
        /// Where the control socket is served; nil serves none, nor does a service without a
        /// cache.
        public var controlSocket: String?
        /// The cache's name on the control socket and on `/metrics`.
        public var cacheName = CatalogSchema.namespace
        /// The invalidation bus, the registry heartbeat and the stale-read sampler.
        public var fleet = FleetSettings()

        public init(database: DatabaseSettings) {
            self.database = database
        }
    }

    public let catalog: ProductCatalog
    /// Every service the host must run, in start order.
    public let services: [any Service]

    /// - Parameters:
    ///   - onListening: called with the HTTP port once the server accepts connections.
    /// - Throws: ``CatalogSetupError`` for a setting the service cannot start with.
    public init(configuration: Configuration, metrics: MetricsEndpoint, logger: Logger,
                onListening: @escaping @Sendable (Int) async -> Void = { _ in }) throws {
        let client = PostgresClient(configuration: configuration.database.clientConfiguration, backgroundLogger: logger)
        let store = ProductStore(client: client, queryTimeout: configuration.database.queryTimeout, logger: logger,
                                 metrics: metrics.factory)
        do {
            catalog = try ProductCatalog(store: store, settings: configuration.cache,
                                         staleSampleRate: configuration.fleet.enabled ? configuration.fleet.staleSampleRate : 0,
                                         logger: logger)
        } catch {
            throw CatalogSetupError("cache: \(error)")
        }
        var services: [any Service] = [client]
        if catalog.cache == nil, let socket = configuration.controlSocket {
            logger.warning("caching is disabled: no control socket is served", metadata: ["path": "\(socket)"])
        }
        if let cache = catalog.cache {
            services.append(cache)
            if configuration.fleet.enabled {
                services += Self.fleetServices(cache: cache, catalog: catalog, client: client,
                                               configuration: configuration, logger: logger)
            }
            services.append(CacheMetricsReporter(cache: cache, name: configuration.cacheName, interval: .seconds(5),
                                                 factory: metrics.factory, logger: logger))
            if let socket = configuration.controlSocket {
                let target = ControlTarget(name: configuration.cacheName, cache: cache)
                do {
                    services.append(try ControlServer(configuration: .init(socketPath: socket), targets: [target], logger: logger))
                } catch {
                    throw CatalogSetupError("control socket: \(error)")
                }
            }
        }
        let router = Router()
        router.middlewares.add(MetricsMiddleware())
        CatalogRoutes.add(to: router, catalog: catalog, metrics: metrics)
        let application = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.httpHost, port: configuration.httpPort),
                                 serverName: "catalog-service"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
        services.append(application)
        self.services = services
    }

    /// The invalidation bus over the products namespace, the registry heartbeat and the
    /// stale-read sampler.
    static func fleetServices(cache: Cache<Int64, Product>, catalog: ProductCatalog, client: PostgresClient,
                              configuration: Configuration, logger: Logger) -> [any Service] {
        let fleet = configuration.fleet
        var bus = InvalidationBusConfiguration(connection: configuration.database.connectionConfiguration,
                                               instance: fleet.instance)
        bus.checkInterval = fleet.checkInterval
        bus.retention = fleet.retention
        bus.pruneInterval = min(bus.pruneInterval, fleet.retention / 2)
        bus.queryTimeout = min(configuration.database.queryTimeout, fleet.checkInterval)
        let namespace = BusNamespace.cache(cache, name: CatalogSchema.namespace, policy: fleet.policy, lease: fleet.lease,
                                           maximumTimeToLive: fleet.maximumTimeToLive, key: { Int64($0) },
                                           sampler: catalog.sampler)
        var services: [any Service] = [InvalidationBus(configuration: bus, namespaces: [namespace], logger: logger)]
        if let sampler = catalog.sampler { services.append(sampler) }
        services.append(FleetRegistry(client: client, instance: fleet.instance, service: fleet.serviceName,
                                      host: fleet.hostName, endpoint: configuration.controlSocket,
                                      entries: [.init(cache: configuration.cacheName, snapshot: { cache.snapshot() })],
                                      interval: fleet.heartbeatInterval, logger: logger))
        return services
    }
}
