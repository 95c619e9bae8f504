import CacheFleet
import AsyncHTTPClient
import CacheEngineTesting
import CatalogService
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Synchronization
import Testing

/// A catalog service running in this test process on a free loopback port, with a manual
/// clock for its cache, reached over real HTTP.
struct RunningCatalog: Sendable {
    let service: CatalogService
    let clock: ManualClock
    let http: HTTPClient
    let baseURL: String

    var catalog: ProductCatalog { service.catalog }

    /// The answer to a request: its status and body.
    struct Answer: Sendable {
        var status: Int
        var body: Data

        func decode<T: Decodable>(_ type: T.Type) throws -> T { try JSONDecoder().decode(type, from: body) }
        var errorCode: String? { (try? decode(CatalogError.Body.self))?.error.code }
    }

    func request(_ path: String) async throws -> Answer {
        try await request(.GET, path)
    }

    func request(_ method: HTTPMethod, _ path: String, body: String? = nil) async throws -> Answer {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let body {
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await http.execute(request, timeout: .seconds(60))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return Answer(status: Int(response.status.code), body: Data(buffer: bytes))
    }

    func product(_ id: Int64) async throws -> Product {
        let answer = try await request("/products/\(id)")
        try #require(answer.status == 200, "GET /products/\(id): \(answer.status) \(String(decoding: answer.body, as: UTF8.self))")
        return try answer.decode(Product.self)
    }

    /// The cache's live background tasks, all kinds together.
    var liveTasks: Int { catalog.cache?.snapshot().tasks.values.reduce(0, +) ?? 0 }
}

/// A thousand concurrent requests hold two thousand descriptors in this process (client and
/// server ends): the soft limit is raised to the hard one, once.
let raiseDescriptorLimit: Void = {
    var limit = rlimit()
    if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max {
        limit.rlim_cur = limit.rlim_max
        setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
}()

/// The process's metrics endpoint: swift-metrics is bootstrapped once per process.
let testMetrics: MetricsEndpoint = {
    let endpoint = MetricsEndpoint()
    endpoint.bootstrap()
    return endpoint
}()

/// Runs a catalog service for the length of `body`, then shuts it down gracefully and waits
/// for it to end.
func withCatalog<T: Sendable>(
    connections: Int = 1_000,
    _ configure: (inout CatalogService.Configuration) -> Void = { _ in },
    _ body: (RunningCatalog) async throws -> T
) async throws -> T {
    _ = raiseDescriptorLimit
    let clock = ManualClock()
    var configuration = CatalogService.Configuration(database: try TestDatabase.settings())
    configuration.httpPort = 0
    configuration.cache.clock = clock
    // Exact query counts: no stale-read re-reads unless a test asks for them.
    configuration.fleet.staleSampleRate = 0
    configure(&configuration)
    var logger = TestDatabase.logger
    logger.logLevel = .error
    let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
    let service = try CatalogService(configuration: configuration, metrics: testMetrics, logger: logger) { port in
        portSink.yield(port)
    }
    let group = ServiceGroup(configuration: .init(services: service.services.map { .init(service: $0) }, logger: logger))
    var httpConfiguration = HTTPClient.Configuration()
    httpConfiguration.connectionPool = .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
    let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: httpConfiguration)
    let outcome: Result<T, any Error>
    do {
        outcome = .success(try await run(group, service: service, clock: clock, http: http, ports: ports, body))
    } catch {
        outcome = .failure(error)
    }
    try await http.shutdown()
    return try outcome.get()
}

private func run<T: Sendable>(
    _ group: ServiceGroup, service: CatalogService, clock: ManualClock, http: HTTPClient, ports: AsyncStream<Int>,
    _ body: (RunningCatalog) async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CatalogSetupError("the server did not start") }
        let running = RunningCatalog(service: service, clock: clock, http: http, baseURL: "http://127.0.0.1:\(port)")
        // A fail-closed cache stores nothing until the bus has verified it: wait for that, as a
        // load balancer waits for readiness.
        if let cache = service.catalog.cache, service.services.contains(where: { $0 is InvalidationBus }) {
            try await poll("the invalidation bus to verify the cache", timeout: .seconds(10)) {
                cache.coherence.status?.verified == true && cache.coherence.isStoring
            }
        }
        do {
            let result = try await body(running)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            let left = service.catalog.cache?.snapshot().tasks.filter { $0.value > 0 } ?? [:]
            #expect(left.isEmpty, "background tasks left after shutdown: \(left)")
            return result
        } catch {
            await group.triggerGracefulShutdown()
            try? await tasks.waitForAll()
            throw error
        }
    }
}

/// A value that concurrent test tasks share.
final class Shared<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>
    init(_ value: Value) { storage = Mutex(value) }
    func withLock<T: Sendable>(_ body: (inout sending Value) -> sending T) -> T { storage.withLock(body) }
}
