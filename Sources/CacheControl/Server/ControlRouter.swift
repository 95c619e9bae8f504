import CacheEngine
import Foundation

/// Turns a parsed request into a response: the endpoints of the control API, independent of
/// sockets so every route is testable as a function. Thread-safe (immutable); each call costs
/// what its cache operation costs.
struct ControlRouter: Sendable {
    let targets: [ControlTarget]
    let readOnly: Bool
    let processID: Int32
    let userID: UInt32

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    /// A route: the methods it answers and whether it changes the host.
    private struct Route {
        var methods: [String]
        var mutating: Set<String>
    }

    private static let routes: [String: Route] = [
        ControlProtocol.Path.caches: Route(methods: ["GET"], mutating: []),
        ControlProtocol.Path.snapshot: Route(methods: ["GET"], mutating: []),
        ControlProtocol.Path.sweep: Route(methods: ["POST"], mutating: ["POST"]),
        ControlProtocol.Path.capacity: Route(methods: ["PUT"], mutating: ["PUT"]),
        ControlProtocol.Path.load: Route(methods: ["GET", "POST", "DELETE"], mutating: ["POST", "DELETE"]),
        ControlProtocol.Path.keys: Route(methods: ["GET"], mutating: []),
        ControlProtocol.Path.key: Route(methods: ["GET"], mutating: []),
        ControlProtocol.Path.sample: Route(methods: ["GET"], mutating: []),
        ControlProtocol.Path.metrics: Route(methods: ["GET"], mutating: []),
    ]

    func respond(to request: HTTPRequest) async -> HTTPResponse {
        guard let route = Self.routes[request.path] else {
            return Self.error(.notFound, "no endpoint at \(request.path); see GET \(ControlProtocol.Path.caches)")
        }
        let method = request.method == "HEAD" ? "GET" : request.method
        guard route.methods.contains(method) else {
            var response = Self.error(.methodNotAllowed,
                                      "\(request.method) is not allowed on \(request.path); use \(route.methods.joined(separator: " or "))")
            response.headers.append(("Allow", route.methods.joined(separator: ", ")))
            return response
        }
        if readOnly, route.mutating.contains(method) {
            return Self.error(.forbidden, "this host serves its cache read-only: \(method) \(request.path) is refused")
        }
        if request.path == ControlProtocol.Path.caches { return Self.json(serverInfo()) }
        if request.path == ControlProtocol.Path.metrics {
            let text = PrometheusExposition.render(targets.map { ($0.name, $0.snapshot()) })
            return HTTPResponse(status: .ok, headers: [("Content-Type", PrometheusExposition.contentType)], body: Array(text.utf8))
        }
        let target: ControlTarget
        switch selectTarget(request, defaultingToFirst: !route.mutating.contains(method)) {
        case .success(let found): target = found
        case .failure(let refusal): return refusal.response
        }
        switch (request.path, method) {
        case (ControlProtocol.Path.snapshot, _):
            return Self.json(target.snapshot())
        case (ControlProtocol.Path.sweep, _):
            return Self.json(target.sweep())
        case (ControlProtocol.Path.capacity, _):
            return resize(target, request)
        case (ControlProtocol.Path.keys, _):
            return keys(target, request)
        case (ControlProtocol.Path.key, _):
            return lookUp(target, request)
        case (ControlProtocol.Path.sample, _):
            return sample(target, request)
        case (ControlProtocol.Path.load, "GET"):
            return Self.json(loadStatus(target))
        case (ControlProtocol.Path.load, "POST"):
            return startLoad(target, request)
        case (ControlProtocol.Path.load, _):
            return await stopLoad(target)
        default:
            return Self.error(.internalServerError, "route \(method) \(request.path) has no handler")
        }
    }

    /// The cache `?cache=NAME` names; without a name, the only one, or for a read the first (the
    /// host's default). A change must name its cache when the host serves several, so that it
    /// never lands on one the caller did not mean.
    private func selectTarget(_ request: HTTPRequest, defaultingToFirst: Bool) -> Result<ControlTarget, ErrorResponse> {
        guard let name = request.query["cache"] else {
            guard targets.count == 1 || defaultingToFirst else {
                return .failure(ErrorResponse(Self.error(.badRequest, "this host serves \(targets.count) caches; name one with ?cache=NAME (\(names))")))
            }
            return .success(targets[0])
        }
        guard let target = targets.first(where: { $0.name == name }) else {
            return .failure(ErrorResponse(Self.error(.notFound, "no cache named '\(ControlTarget.bounded(name))'; this host serves \(names)")))
        }
        return .success(target)
    }

    private var names: String { targets.map(\.name).joined(separator: ", ") }

    private func serverInfo() -> ControlProtocol.ServerInfo {
        ControlProtocol.ServerInfo(
            schemaVersion: ControlProtocol.schemaVersion, pid: processID, uid: userID, readOnly: readOnly,
            caches: targets.map { target in
                let snapshot = target.snapshot()
                return ControlProtocol.CacheInfo(name: target.name, capacity: snapshot.capacity, count: snapshot.count,
                                                 load: loadStatus(target))
            })
    }

    private func resize(_ target: ControlTarget, _ request: HTTPRequest) -> HTTPResponse {
        let body: ControlProtocol.CapacityRequest
        switch Self.decode(ControlProtocol.CapacityRequest.self, request, example: #"{"capacity": 100000}"#) {
        case .success(let decoded): body = decoded
        case .failure(let response): return response.response
        }
        do {
            return Self.json(try target.resize(body.capacity))
        } catch {
            return Self.error(.unprocessableContent, error.description)
        }
    }

    private func keys(_ target: ControlTarget, _ request: HTTPRequest) -> HTTPResponse {
        let orderName = request.query["order"] ?? ControlProtocol.KeyOrder.hottest.rawValue
        guard let order = ControlProtocol.KeyOrder(rawValue: orderName) else {
            return Self.error(.badRequest, "order must be hottest or expiring, got '\(ControlTarget.bounded(orderName))'")
        }
        switch Self.limit(request, "limit", default: 20) {
        case .success(let limit): return Self.json(ControlProtocol.KeyList(order: order, entries: target.entries(order, limit)))
        case .failure(let refusal): return refusal.response
        }
    }

    /// `?name=N` as a whole number from `minimum` to the inspection limit.
    private static func limit(_ request: HTTPRequest, _ name: String, default fallback: Int, minimum: Int = 1) -> Result<Int, ErrorResponse> {
        let text = request.query[name] ?? "\(fallback)"
        let maximum = Cache<Int, Int>.inspectionLimit
        guard let value = Int(text), (minimum...maximum).contains(value) else {
            return .failure(ErrorResponse(error(.badRequest, "\(name) must be a whole number from \(minimum) to \(maximum), got '\(ControlTarget.bounded(text))'")))
        }
        return .success(value)
    }

    private func lookUp(_ target: ControlTarget, _ request: HTTPRequest) -> HTTPResponse {
        guard let text = request.query["key"], !text.isEmpty else {
            return Self.error(.badRequest, "name the key: GET \(ControlProtocol.Path.key)?key=TEXT")
        }
        guard text.count <= ControlProtocol.maximumKeyLength else {
            return Self.error(.badRequest, "a key is at most \(ControlProtocol.maximumKeyLength) characters, got \(text.count)")
        }
        guard let lookup = target.lookup else {
            return Self.error(.notImplemented, "cache '\(target.name)' cannot look keys up: the host gave its ControlTarget no parseKey")
        }
        guard let found = lookup(text) else {
            return Self.error(.unprocessableContent, "'\(ControlTarget.bounded(text))' is not a key of cache '\(target.name)'")
        }
        return Self.json(found)
    }

    private func sample(_ target: ControlTarget, _ request: HTTPRequest) -> HTTPResponse {
        let expiring: Int, hottest: Int
        switch (Self.limit(request, "expiring", default: 8, minimum: 0), Self.limit(request, "hottest", default: 0, minimum: 0)) {
        case (.success(let first), .success(let second)): (expiring, hottest) = (first, second)
        case (.failure(let refusal), _), (_, .failure(let refusal)): return refusal.response
        }
        return Self.json(ControlProtocol.Sample(
            schemaVersion: ControlProtocol.schemaVersion, pid: processID, uid: userID, readOnly: readOnly,
            cache: target.name, caches: targets.map(\.name), snapshot: target.snapshot(),
            expiring: expiring > 0 ? target.entries(.expiring, expiring) : [],
            hottest: hottest > 0 ? target.entries(.hottest, hottest) : nil,
            load: loadStatus(target)))
    }

    private func loadStatus(_ target: ControlTarget) -> ControlProtocol.LoadStatus {
        guard let load = target.load else {
            return ControlProtocol.LoadStatus(enabled: false, running: false, workload: nil, maximumRate: nil,
                                              maximumDurationSeconds: nil, operationsPerformed: 0)
        }
        let current = load.current()
        return ControlProtocol.LoadStatus(enabled: !readOnly, running: current != nil, workload: current,
                                          maximumRate: load.maximumRate,
                                          maximumDurationSeconds: load.maximumDuration.secondsValue,
                                          operationsPerformed: load.operationsPerformed())
    }

    private func startLoad(_ target: ControlTarget, _ request: HTTPRequest) -> HTTPResponse {
        guard let load = target.load else { return Self.loadRefused(target) }
        let workload: Workload
        switch Self.decode(Workload.self, request, example: #"{"distribution": "zipf", "skew": 0.99, "rate": 5000, "duration_seconds": 60}"#) {
        case .success(let decoded): workload = decoded
        case .failure(let response): return response.response
        }
        do {
            try load.start(try load.bounded(workload))
        } catch {
            return Self.error(.unprocessableContent, error.description)
        }
        return Self.json(loadStatus(target))
    }

    private func stopLoad(_ target: ControlTarget) async -> HTTPResponse {
        guard let load = target.load else { return Self.loadRefused(target) }
        await load.stop()
        return Self.json(loadStatus(target))
    }

    private static func loadRefused(_ target: ControlTarget) -> HTTPResponse {
        error(.forbidden, "load injection is not enabled for cache '\(target.name)': the host must pass loadInjection to its ControlTarget")
    }
}

/// An error already rendered as a response, so helpers can return `Result<_, ErrorResponse>`.
struct ErrorResponse: Error {
    let response: HTTPResponse
    init(_ response: HTTPResponse) { self.response = response }
}

extension ControlRouter {
    static func json(_ value: some Encodable, status: HTTPStatus = .ok) -> HTTPResponse {
        do {
            let body = try encoder.encode(value)
            return HTTPResponse(status: status, headers: [("Content-Type", "application/json")], body: Array(body))
        } catch {
            return self.error(.internalServerError, "could not encode the response: \(error)")
        }
    }

    /// The error response every failure uses: the status and a JSON body naming the cause.
    static func error(_ status: HTTPStatus, _ message: String) -> HTTPResponse {
        let body = (try? encoder.encode(ControlProtocol.ErrorBody(status: status.code, message: message))) ?? Data()
        return HTTPResponse(status: status, headers: [("Content-Type", "application/json")], body: Array(body))
    }

    static func decode<Body: Decodable>(_ type: Body.Type, _ request: HTTPRequest, example: String) -> Result<Body, ErrorResponse> {
        if let contentType = request.head.header("content-type"),
           !contentType.lowercased().hasPrefix("application/json") {
            return .failure(ErrorResponse(error(.unsupportedMediaType, "send the body as application/json, not \(contentType)")))
        }
        guard !request.body.isEmpty else {
            return .failure(ErrorResponse(error(.badRequest, "\(request.method) \(request.path) needs a JSON body such as \(example)")))
        }
        do {
            return .success(try JSONDecoder().decode(Body.self, from: Data(request.body)))
        } catch let outOfRange as ControlProtocol.ValueOutOfRange {
            return .failure(ErrorResponse(error(.unprocessableContent, outOfRange.message)))
        } catch let decodingError as DecodingError {
            return .failure(ErrorResponse(error(.badRequest, "invalid JSON body: \(describe(decodingError)); expected something like \(example)")))
        } catch let other {
            return .failure(ErrorResponse(error(.badRequest, "invalid JSON body: \(other)")))
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map(\.stringValue).filter { !$0.isEmpty }
            return keys.isEmpty ? "" : "'\(keys.joined(separator: "."))': "
        }
        switch error {
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "not valid JSON" }
            return path(context) + context.debugDescription
        case .keyNotFound(let key, _): return "missing field '\(key.stringValue)'"
        case .typeMismatch(let type, let context): return path(context) + "expected \(type)"
        case .valueNotFound(let type, let context): return path(context) + "expected \(type), found null"
        @unknown default: return "\(error)"
        }
    }
}
