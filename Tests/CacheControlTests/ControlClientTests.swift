@testable import CacheControl
import CacheEngine
import NIOCore
import NIOPosix
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The client is async on SwiftNIO: callers sharing one client are served one at a time on one
/// connection, and a host that never answers costs a request its timeout, not the client.
@Suite struct ControlClientTests {
    @Test func concurrentCallersShareOneConnectionAndEachGetsItsOwnAnswer() async throws {
        try await withControlServer { fixture in
            let client = fixture.client
            let capacities = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<64 {
                    group.addTask {
                        index.isMultiple(of: 2)
                            ? try await client.snapshot().capacity
                            : try await client.serverInfo().caches[0].capacity
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(capacities.count == 64)
            #expect(capacities.allSatisfy { $0 == fixture.cache.capacity })
            #expect(fixture.server.connectionCount == 1)
            await client.disconnect()
        }
    }

    @Test func aHostThatNeverAnswersCostsOneTimeoutAndTheClientRecovers() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/silent.sock"
        // A listener that accepts connections and never writes a byte.
        let silent = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(unixDomainSocketPath: path).get()
        let client = ControlClient(path: path, timeout: .milliseconds(200))
        for _ in 0..<2 {
            let error = await #expect(throws: ControlClientError.self) { _ = try await client.serverInfo() }
            #expect(error?.code == .connectionLost)
            #expect(error?.message.contains("no answer within") == true, "\(String(describing: error))")
        }
        try await silent.close()
        unlink(path)

        // A real host at the same path: the same client now gets answers.
        let cache = try Cache<Int, Int>(capacity: 10)
        let server = try ControlServer(configuration: .init(socketPath: path), targets: [ControlTarget(cache: cache)], logger: testLogger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            try await server.waitUntilListening()
            #expect(try await client.serverInfo().caches.count == 1)
            group.cancelAll()
        }
    }

    @Test func aPathTooLongForASocketIsNamedAsSuch() async throws {
        let path = "/tmp/" + String(repeating: "x", count: 200)
        await #expect(throws: ControlClientError.invalidPath(path)) { _ = try await ControlClient(path: path).serverInfo() }
    }
}

/// A host can put its socket where `cachetop attach` looks without being told.
@Suite struct ControlSocketDirectoryTests {
    @Test func theRuntimeDirectoryHoldsTheHostsSocket() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let previous = getenv("XDG_RUNTIME_DIR").map { String(cString: $0) }
        setenv("XDG_RUNTIME_DIR", directory.path, 1)
        defer { if let previous { setenv("XDG_RUNTIME_DIR", previous, 1) } else { unsetenv("XDG_RUNTIME_DIR") } }

        let configuration = try ControlServer.Configuration.inRuntimeDirectory(name: "orders")
        #expect(configuration.socketPath == directory.path + "/cachetop/orders.sock")
        var status = stat()
        #expect(stat(directory.path + "/cachetop", &status) == 0 && status.st_mode & 0o777 == 0o700)
        #expect(throws: ControlServerError.self) { _ = try ControlServer.Configuration.inRuntimeDirectory(name: "../x") }

        let cache = try Cache<Int, Int>(capacity: 10)
        let server = try ControlServer(configuration: configuration, targets: [ControlTarget(cache: cache)], logger: testLogger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            try await server.waitUntilListening()
            #expect(ControlSocketDirectory.sockets(in: ControlSocketDirectory.path()!) == [configuration.socketPath])
            group.cancelAll()
        }
        unsetenv("XDG_RUNTIME_DIR")
        #expect(ControlSocketDirectory.path() == nil)
    }
}
