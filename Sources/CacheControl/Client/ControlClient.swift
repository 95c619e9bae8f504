import CacheEngine
import Foundation
import NIOCore
import NIOPosix

/// Talks to a ``ControlServer`` over its unix socket: the operations of the control API as
/// async methods with typed results.
///
/// Async all the way down: the connection is a SwiftNIO channel on an event loop, and a
/// request suspends its task, never a thread. One connection is kept open and reused (HTTP
/// keep-alive) and reopened after the host closes it. Requests go out one at a time, in the
/// order callers reach the actor; each waits at most `timeout`, after which the connection is
/// dropped (a late answer must not be taken for the next request's). An actor: safe to share.
public actor ControlClient {
    /// The socket this client talks to.
    public nonisolated let path: String
    let timeout: Duration
    let eventLoopGroup: any EventLoopGroup
    /// The open connection, if any.
    var channel: (any Channel)?
    /// Whether an exchange is under way, and the callers queued behind it.
    var busy = false
    var queued: [CheckedContinuation<Void, Never>] = []

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    /// - Parameters:
    ///   - path: the host's control socket.
    ///   - timeout: the longest one request may take, connecting included.
    ///   - eventLoopGroup: SwiftNIO's shared group by default.
    public init(path: String, timeout: Duration = .seconds(5),
                eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.path = path
        self.timeout = timeout
        self.eventLoopGroup = eventLoopGroup
    }

    /// Who is serving, and which caches (`GET /v1/caches`).
    public func serverInfo() async throws(ControlClientError) -> ControlProtocol.ServerInfo {
        let info = try await decode(ControlProtocol.ServerInfo.self, send("GET", ControlProtocol.Path.caches))
        guard info.schemaVersion == ControlProtocol.schemaVersion else {
            throw .unsupportedSchema(found: info.schemaVersion, supported: ControlProtocol.schemaVersion)
        }
        return info
    }

    /// The cache's snapshot (`GET /v1/snapshot`). O(shards) on the host.
    public func snapshot(cache: String? = nil) async throws(ControlClientError) -> CacheSnapshot {
        let response = try await send("GET", ControlProtocol.Path.snapshot, cache: cache)
        let version = try decode(SchemaProbe.self, response).schemaVersion
        guard version == CacheSnapshot.currentSchemaVersion else {
            throw .unsupportedSchema(found: version, supported: CacheSnapshot.currentSchemaVersion)
        }
        return try decode(CacheSnapshot.self, response)
    }

    /// Sweeps expired entries now (`POST /v1/sweep`).
    public func sweep(cache: String? = nil) async throws(ControlClientError) -> SweepReport {
        try decode(SweepReport.self, await send("POST", ControlProtocol.Path.sweep, cache: cache))
    }

    /// Sets the capacity (`PUT /v1/capacity`); the host evicts down to it before answering.
    public func resize(capacity: Int, cache: String? = nil) async throws(ControlClientError) -> ResizeReport {
        let body = try encode(ControlProtocol.CapacityRequest(capacity: capacity))
        return try decode(ResizeReport.self,
                          await send("PUT", ControlProtocol.Path.capacity, cache: cache, body: body))
    }

    /// Whether load injection is allowed and running (`GET /v1/load`).
    public func loadStatus(cache: String? = nil) async throws(ControlClientError) -> ControlProtocol.LoadStatus {
        try decode(ControlProtocol.LoadStatus.self, await send("GET", ControlProtocol.Path.load, cache: cache))
    }

    /// Starts injecting `workload` (`POST /v1/load`), replacing any running one.
    public func startLoad(_ workload: Workload, cache: String? = nil) async throws(ControlClientError) -> ControlProtocol.LoadStatus {
        let body = try encode(workload)
        return try decode(ControlProtocol.LoadStatus.self, await send("POST", ControlProtocol.Path.load, cache: cache, body: body))
    }

    /// Stops load injection (`DELETE /v1/load`) and waits until its workers ended.
    public func stopLoad(cache: String? = nil) async throws(ControlClientError) -> ControlProtocol.LoadStatus {
        try decode(ControlProtocol.LoadStatus.self, await send("DELETE", ControlProtocol.Path.load, cache: cache))
    }

    /// Entries in the given order (`GET /v1/keys`), at most `limit` (1...1000).
    public func keys(order: ControlProtocol.KeyOrder, limit: Int = 20, cache: String? = nil) async throws(ControlClientError) -> ControlProtocol.KeyList {
        try decode(ControlProtocol.KeyList.self,
                   await send("GET", ControlProtocol.Path.keys, cache: cache, query: "order=\(order.rawValue)&limit=\(limit)"))
    }

    /// Whether `key` (as text the host's key parser reads) is cached, and its entry
    /// (`GET /v1/key`). O(1) on the host; the policy is not disturbed.
    public func lookUp(key: String, cache: String? = nil) async throws(ControlClientError) -> ControlProtocol.KeyLookup {
        try decode(ControlProtocol.KeyLookup.self,
                   await send("GET", ControlProtocol.Path.key, cache: cache, query: "key=\(Self.queryEncoded(key))"))
    }

    /// One dashboard sample in one request (`GET /v1/sample`): the snapshot, the next `expiring`
    /// entries to expire, the load status and, when `hottest` is given, that many hottest keys.
    public func sample(cache: String? = nil, expiring: Int = 8, hottest: Int? = nil) async throws(ControlClientError) -> ControlProtocol.Sample {
        var query = "expiring=\(expiring)"
        if let hottest { query += "&hottest=\(hottest)" }
        let sample = try decode(ControlProtocol.Sample.self,
                                await send("GET", ControlProtocol.Path.sample, cache: cache, query: query))
        guard sample.schemaVersion == ControlProtocol.schemaVersion else {
            throw .unsupportedSchema(found: sample.schemaVersion, supported: ControlProtocol.schemaVersion)
        }
        guard sample.snapshot.schemaVersion == CacheSnapshot.currentSchemaVersion else {
            throw .unsupportedSchema(found: sample.snapshot.schemaVersion, supported: CacheSnapshot.currentSchemaVersion)
        }
        return sample
    }

    /// The Prometheus exposition (`GET /metrics`).
    public func metrics() async throws(ControlClientError) -> String {
        String(decoding: try await send("GET", ControlProtocol.Path.metrics).body, as: UTF8.self)
    }

    /// Closes the connection; the next request opens a new one.
    public func disconnect() async {
        let open = channel
        channel = nil
        try? await open?.close()
    }

    private struct SchemaProbe: Decodable {
        var schemaVersion: Int
        enum CodingKeys: String, CodingKey { case schemaVersion = "schema_version" }
    }

    private func encode(_ value: some Encodable) throws(ControlClientError) -> [UInt8] {
        do { return Array(try Self.encoder.encode(value)) } catch { throw .invalidResponse("cannot encode the request: \(error)") }
    }

    private func decode<Body: Decodable>(_ type: Body.Type, _ response: HTTPResponse) throws(ControlClientError) -> Body {
        do {
            return try JSONDecoder().decode(Body.self, from: Data(response.body))
        } catch {
            throw .invalidResponse("\(type) could not be decoded: \(error)")
        }
    }
}
