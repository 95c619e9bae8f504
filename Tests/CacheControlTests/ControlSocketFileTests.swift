@testable import CacheControl
import CacheEngine
import Foundation
import Testing

@Suite struct ControlSocketFileTests {
    private func mode(_ path: String) -> UInt32 {
        var status = stat()
        lstat(path, &status)
        return UInt32(status.st_mode) & 0o777
    }

    @Test func socketIsCreatedOwnerOnlyByDefaultAndAsConfigured() async throws {
        try await withControlServer { fixture in
            #expect(mode(fixture.socketPath) == 0o600)
        }
        try await withControlServer(configure: { $0.socketMode = 0o660 }) { fixture in
            #expect(mode(fixture.socketPath) == 0o660)
        }
    }

    @Test func aStaleSocketIsReplaced() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/stale.sock"
        // A socket file left behind by a process that died: bound, never unlinked, nobody listening.
        close(try #require(boundUnixSocket(path)))
        #expect(FileManager.default.fileExists(atPath: path))
        await #expect(throws: ControlClientError.nothingListening(path)) { _ = try await ControlClient(path: path).serverInfo() }

        let cache = try Cache<Int, Int>(capacity: 10)
        let server = try ControlServer(configuration: .init(socketPath: path), targets: [ControlTarget(cache: cache)], logger: testLogger)
        let running = Task { try await server.run() }
        try await server.waitUntilListening()
        #expect(try await ControlClient(path: path).serverInfo().caches.count == 1)

        // A second server on the same path refuses: something listens there.
        let second = try ControlServer(configuration: .init(socketPath: path), targets: [ControlTarget(cache: cache)], logger: testLogger)
        await #expect(throws: ControlServerError.inUse(path)) { try await second.run() }
        #expect(try await ControlClient(path: path).serverInfo().caches.count == 1, "the first server is untouched")
        running.cancel()
        try await running.value
    }

    @Test func anyOtherFileAtThePathIsNeverTouched() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/data.txt"
        try "precious".write(toFile: path, atomically: false, encoding: .utf8)
        let cache = try Cache<Int, Int>(capacity: 10)
        let server = try ControlServer(configuration: .init(socketPath: path), targets: [ControlTarget(cache: cache)], logger: testLogger)
        await #expect(throws: ControlServerError.notASocket(path)) { try await server.run() }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "precious")
        await #expect(throws: ControlClientError.notCachetop(path, detail: "the file is not a socket")) {
            _ = try await ControlClient(path: path).serverInfo()
        }
        try FileManager.default.createDirectory(atPath: directory.path + "/dir", withIntermediateDirectories: false)
        let onDirectory = try ControlServer(configuration: .init(socketPath: directory.path + "/dir"), targets: [ControlTarget(cache: cache)], logger: testLogger)
        await #expect(throws: ControlServerError.notASocket(directory.path + "/dir")) { try await onDirectory.run() }
    }

    @Test func peersOutsideTheAllowListGet403() async throws {
        try await withControlServer(configure: { $0.allowedUserIDs = [getuid() &+ 4242] }) { fixture in
            let reply = try await rawExchange(fixture.socketPath, request("GET", "/v1/snapshot"))
            #expect(reply.status == 403)
            #expect(reply.message == "uid \(getuid()) may not use this control socket")
            await #expect(throws: ControlClientError.refused(status: 403, message: "uid \(getuid()) may not use this control socket")) {
                _ = try await fixture.client.snapshot()
            }
            #expect(await eventually { fixture.connectionTasks == 0 })
        }
        try await withControlServer(configure: { $0.allowedUserIDs = [getuid()] }) { fixture in
            let snapshot = try await fixture.client.snapshot()
            #expect(snapshot.count == 1_000)
        }
    }

    @Test func clientErrorsNameTheCause() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        await #expect(throws: ControlClientError.noSuchSocket(directory.path + "/none.sock")) {
            _ = try await ControlClient(path: directory.path + "/none.sock").snapshot()
        }
        #expect(ControlClientError.permissionDenied("/x").description == "permission denied: /x")
        #expect(ControlClientError.unsupportedSchema(found: 9, supported: 1).description
            == "unsupported schema version 9 (this cachetop reads version 1)")
    }

    @Test func aServerThatIsNotCachetopIsRecognised() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/other.sock"
        // Something else entirely: a socket that reads a request, answers a line of text, closes.
        let listener = try #require(boundUnixSocket(path))
        listen(listener, 4)
        let answering = Thread {
            let connection = accept(listener, nil, nil)
            var request = [UInt8](repeating: 0, count: 4096)
            _ = request.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            let banner = Array("-ERR unknown command\r\n".utf8)
            _ = banner.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, 0) }
            close(connection)
        }
        answering.start()
        await #expect(throws: ControlClientError.notCachetop(path, detail: "not an HTTP response")) {
            _ = try await ControlClient(path: path).serverInfo()
        }
        close(listener)
    }
}

/// A stream socket bound to `path` (not listening), or nil when binding failed.
private func boundUnixSocket(_ path: String) -> Int32? {
    let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8) + [0]) }
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
    }
    guard descriptor >= 0, bound == 0 else { return nil }
    return descriptor
}
