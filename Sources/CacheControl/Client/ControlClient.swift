import CacheEngine
import Dispatch
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Talks to a ``ControlServer`` over its unix socket: the operations of the control API as
/// async methods with typed results.
///
/// One connection is kept open and reused (HTTP keep-alive); it is reopened after the host
/// closes it. Requests are sent one at a time, in call order, on a private serial queue, so
/// the caller's task is never blocked; each waits at most `timeout`. Thread-safe.
public final class ControlClient: @unchecked Sendable {
    /// The socket this client talks to.
    public let path: String
    private let timeout: Duration
    private let queue: DispatchQueue
    // Touched only on `queue`.
    private var socket: UnixSocket?

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    /// - Parameter timeout: the longest one request may take.
    public init(path: String, timeout: Duration = .seconds(5)) {
        self.path = path
        self.timeout = timeout
        self.queue = DispatchQueue(label: "cachetop.control-client")
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

    /// The Prometheus exposition (`GET /metrics`).
    public func metrics() async throws(ControlClientError) -> String {
        String(decoding: try await send("GET", ControlProtocol.Path.metrics).body, as: UTF8.self)
    }

    /// Closes the connection; the next request opens a new one.
    public func disconnect() {
        queue.sync { socket = nil }
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

    /// Sends one request and returns a 2xx response; anything else becomes an error.
    func send(_ method: String, _ path: String, cache: String? = nil, query: String? = nil,
              body: [UInt8] = []) async throws(ControlClientError) -> HTTPResponse {
        var target = path
        var parameters: [String] = []
        if let cache { parameters.append("cache=\(cache.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? cache)") }
        if let query { parameters.append(query) }
        if !parameters.isEmpty { target += "?" + parameters.joined(separator: "&") }
        var head = "\(method) \(target) HTTP/1.1\r\nHost: localhost\r\nUser-Agent: cachetop\r\n"
        if !body.isEmpty { head += "Content-Type: application/json\r\n" }
        head += "Content-Length: \(body.count)\r\n\r\n"
        let request = Array(head.utf8) + body
        let result: Result<HTTPResponse, ControlClientError> = await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: self.exchange(request)) }
        }
        let response = try result.get()
        guard response.header("server") == ControlProtocol.serverToken else {
            throw .notCachetop(self.path, detail: "the server calls itself '\(response.header("server") ?? "nothing")'")
        }
        guard (200..<300).contains(response.status.code) else {
            let message = (try? JSONDecoder().decode(ControlProtocol.ErrorBody.self, from: Data(response.body)))?.error.message
            throw .refused(status: response.status.code, message: message ?? response.status.reason)
        }
        return response
    }

    /// On `queue`: one request and its response, reconnecting once if a reused connection turns
    /// out to have been closed by the host before it answered.
    private func exchange(_ request: [UInt8]) -> Result<HTTPResponse, ControlClientError> {
        let reused = socket != nil
        switch attempt(request) {
        case .success(let response): return .success(response)
        case .failure(.connectionLost) where reused:
            socket = nil
            return attempt(request)
        case .failure(let error): return .failure(error)
        }
    }

    private func attempt(_ request: [UInt8]) -> Result<HTTPResponse, ControlClientError> {
        do {
            let connection = try connectedSocket()
            try connection.send(request)
            var parser = HTTPResponseParser()
            while true {
                let chunk = try connection.receive()
                if chunk.isEmpty {
                    socket = nil
                    return .failure(.connectionLost(path, detail: "the host closed the connection before answering"))
                }
                parser.append(chunk)
                do {
                    if let response = try parser.response() {
                        if response.header("connection")?.lowercased() == "close" { socket = nil }
                        return .success(response)
                    }
                } catch {
                    socket = nil
                    return .failure(.notCachetop(path, detail: error.message))
                }
            }
        } catch let failure as UnixSocket.Failure {
            socket = nil
            return .failure(describe(failure))
        } catch let error as ControlClientError {
            socket = nil
            return .failure(error)
        } catch {
            socket = nil
            return .failure(.connectionLost(path, detail: "\(error)"))
        }
    }

    private func connectedSocket() throws -> UnixSocket {
        if let socket { return socket }
        var status = stat()
        if lstat(path, &status) == 0, status.st_mode & S_IFMT != S_IFSOCK {
            throw ControlClientError.notCachetop(path, detail: "the file is not a socket")
        }
        let connection = try UnixSocket(path: path, timeout: timeout)
        socket = connection
        return connection
    }

    private func describe(_ failure: UnixSocket.Failure) -> ControlClientError {
        switch (failure.stage, failure.code) {
        case (.connect, ENOENT), (.connect, ENOTDIR): return .noSuchSocket(path)
        case (.connect, EACCES), (.connect, EPERM): return .permissionDenied(path)
        case (.connect, ECONNREFUSED): return .nothingListening(path)
        case (.connect, ENOTSOCK): return .notCachetop(path, detail: "the file is not a socket")
        case (.receive, EAGAIN): return .connectionLost(path, detail: "no answer within \(timeout)")
        default: return .connectionLost(path, detail: failure.description)
        }
    }
}
