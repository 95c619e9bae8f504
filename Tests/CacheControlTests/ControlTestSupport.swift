@testable import CacheControl
import CacheEngine
import CacheEngineTesting
import CacheWorkload
import Foundation
import Logging
import Testing

/// A fresh directory under /tmp, short enough for socket paths, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() {
        path = "/tmp/cct-\(UInt32.random(in: 0...UInt32.max))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// A cache with known content on a manual clock, behind a running control server.
struct ControlFixture: Sendable {
    let cache: Cache<Int, String>
    let clock: ManualClock
    let server: ControlServer
    let socketPath: String
    let generator: WorkloadGenerator<Int, String>

    var client: ControlClient { ControlClient(path: socketPath) }

    /// Every entry, for "the data is unchanged" checks.
    func contents() -> [Int: String] {
        var all: [Int: String] = [:]
        for key in 0..<1_000 { if let value = cache.value(forKey: key) { all[key] = value } }
        return all
    }

    var connectionTasks: Int { cache.tasks.liveCounts[.connection] ?? 0 }
}

/// Runs `body` against a server over a cache of 1,000 entries (capacity 10,000; half of them
/// with a 10 s TTL), then cancels the server and checks that it ended cleanly.
func withControlServer(
    configure: (inout ControlServer.Configuration) -> Void = { _ in },
    loadInjection: Bool = true,
    _ body: (ControlFixture) async throws -> Void
) async throws {
    let directory = TemporaryDirectory()
    defer { directory.remove() }
    let clock = ManualClock()
    let cache = try Cache<Int, String>(capacity: 10_000, shardCount: 4, clock: clock)
    for key in 0..<1_000 { cache.setValue("value-\(key)", forKey: key, ttl: key.isMultiple(of: 2) ? .seconds(10) : nil) }
    let generator = WorkloadGenerator<Int, String>(cache: cache, makeKey: { Int($0 % 1_000) }, makeValue: { "load-\($0)" })
    var configuration = ControlServer.Configuration(socketPath: directory.path + "/control.sock")
    configure(&configuration)
    let target = ControlTarget(name: "main", cache: cache, describeKey: { "key-\($0)" },
                               loadInjection: loadInjection ? LoadInjection(generator: generator, maximumRate: 1_000,
                                                                             maximumDuration: .seconds(60), maximumWorkers: 2) : nil)
    var logger = Logger(label: "control-test")
    logger.logLevel = .error
    let server = try ControlServer(configuration: configuration, targets: [target], logger: logger)
    let running = Task { try await server.run() }
    try await server.waitUntilListening()
    let fixture = ControlFixture(cache: cache, clock: clock, server: server, socketPath: configuration.socketPath, generator: generator)
    do {
        try await body(fixture)
    } catch {
        running.cancel()
        _ = try? await running.value
        throw error
    }
    running.cancel()
    try await running.value
    await generator.stop()
    #expect(!FileManager.default.fileExists(atPath: configuration.socketPath), "the socket file is removed at shutdown")
    #expect(fixture.connectionTasks == 0, "no connection task outlives the server")
}

/// What came back from a raw exchange: status and, for errors, the JSON message.
struct RawReply {
    var status: Int?
    var message: String?
    var responses: Int
    var text: String
}

/// Sends `bytes` on a new connection, optionally half-closes, and reads until the server closes.
/// The blocking socket calls run on a Dispatch thread, never on the cooperative pool the server
/// needs.
func rawExchange(_ path: String, _ bytes: [UInt8], halfClose: Bool = true) async throws -> RawReply {
    try await offPool { try blockingExchange(path, bytes, halfClose: halfClose) }
}

/// Runs blocking work on a Dispatch thread and awaits it.
func offPool<Result: Sendable>(_ work: @escaping @Sendable () throws -> Result) async throws -> Result {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Swift.Result { try work() }) }
    }
}

private func blockingExchange(_ path: String, _ bytes: [UInt8], halfClose: Bool) throws -> RawReply {
    let socket = try UnixSocket(path: path, timeout: .seconds(10))
    try? socket.send(bytes)
    if halfClose { socket.shutdownWrite() }
    let reply = (try? socket.receiveUntilClosed()) ?? []
    let text = String(decoding: reply, as: UTF8.self)
    let statuses = text.components(separatedBy: "HTTP/1.1 ").dropFirst().compactMap { Int($0.prefix(3)) }
    var message: String?
    if let start = text.range(of: "{\"error\"") {
        let json = String(text[start.lowerBound...])
        let end = json.range(of: "}}").map { String(json[..<$0.upperBound]) } ?? json
        message = (try? JSONDecoder().decode(ControlProtocol.ErrorBody.self, from: Data(end.utf8)))?.error.message
    }
    return RawReply(status: statuses.last, message: message, responses: statuses.count, text: text)
}

func request(_ method: String, _ target: String, body: String = "", headers: [String] = []) -> [UInt8] {
    var head = "\(method) \(target) HTTP/1.1\r\nHost: localhost\r\n"
    for header in headers { head += header + "\r\n" }
    if !body.isEmpty || method != "GET" { head += "Content-Length: \(body.utf8.count)\r\n" }
    return Array((head + "\r\n" + body).utf8)
}

/// Yields until `condition` holds or the bound is reached; returns whether it held.
func eventually(maxYields: Int = 5_000_000, _ condition: () -> Bool) async -> Bool {
    for _ in 0..<maxYields {
        if condition() { return true }
        await Task.yield()
    }
    return condition()
}

/// The logger the tests give servers: errors only.
let testLogger: Logger = {
    var logger = Logger(label: "control-test")
    logger.logLevel = .error
    return logger
}()
