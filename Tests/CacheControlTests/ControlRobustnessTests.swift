@testable import CacheControl
import CacheEngine
import Foundation
import ServiceLifecycleTestKit
import Testing

@Suite struct ControlRobustnessTests {
    @Test func aThousandConnectRequestCloseCyclesLeaveNoConnectionTask() async throws {
        try await withControlServer { fixture in
            for _ in 0..<1_000 {
                let reply = try await rawExchange(fixture.socketPath, request("GET", "/v1/caches", headers: ["Connection: close"]))
                #expect(reply.status == 200)
            }
            #expect(await eventually { fixture.connectionTasks == 0 })
            #expect(fixture.server.connectionCount == 0)
            #expect(try await fixture.client.snapshot().count == 1_000)
        }
    }

    @Test func clientsThatVanishMidRequestLeaveNoConnectionTask() async throws {
        try await withControlServer(configure: { $0.maximumConnections = 128 }) { fixture in
            var sockets: [UnixSocket] = []
            for index in 0..<100 {
                let socket = try UnixSocket(path: fixture.socketPath)
                let partial = index.isMultiple(of: 2)
                    ? Array("GET /v1/snap".utf8)
                    : Array("PUT /v1/capacity HTTP/1.1\r\nContent-Length: 50\r\n\r\n{\"capa".utf8)
                try socket.send(partial)
                sockets.append(socket)
            }
            #expect(await eventually { fixture.connectionTasks == 100 })
            for socket in sockets { socket.close() }
            sockets.removeAll()
            #expect(await eventually { fixture.connectionTasks == 0 }, "\(fixture.connectionTasks) connection tasks left")
            #expect(try await fixture.client.snapshot().count == 1_000)
            #expect(fixture.cache.capacity == 10_000)
        }
    }

    /// Each bad request: the documented status, a JSON error, the host keeps serving, data unchanged.
    @Test func badInputGetsItsStatusAndChangesNothing() async throws {
        try await withControlServer { fixture in
            let before = fixture.contents()
            var random = SplitMix64(seed: 42)
            let noise = (0..<4_096).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            let hugeLine = Array("GET /".utf8) + Array(repeating: UInt8(ascii: "a"), count: 1 << 20) + Array(" HTTP/1.1\r\n\r\n".utf8)
            var manyHeaders = "GET /v1/snapshot HTTP/1.1\r\n"
            for index in 0..<10_000 { manyHeaders += "X-H\(index): v\r\n" }
            manyHeaders += "\r\n"
            var fewButMany = "GET /v1/snapshot HTTP/1.1\r\n"
            for _ in 0..<150 { fewButMany += "a:b\r\n" }
            fewButMany += "\r\n"
            let json = ["Content-Type: application/json"]
            let cases: [(String, [UInt8], Int, String)] = [
                ("random bytes", noise, 400, "not printable"),
                ("1 MB request line", hugeLine, 414, "request line longer"),
                ("10,000 headers", Array(manyHeaders.utf8), 431, "header section larger"),
                ("150 tiny headers", Array(fewButMany.utf8), 431, "more than 100 header fields"),
                ("body shorter than declared", Array("PUT /v1/capacity HTTP/1.1\r\nContent-Length: 40\r\n\r\n{\"capacity\": 5}".utf8), 400, "body ended after 15 of 40"),
                ("body longer than declared", Array("PUT /v1/capacity HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\n{\"capacity\": 5}".utf8), 400, "invalid JSON body"),
                ("invalid JSON", request("PUT", "/v1/capacity", body: "{capacity: 5", headers: json), 400, "not valid JSON"),
                ("wrong type", request("PUT", "/v1/capacity", body: #"{"capacity": "big"}"#, headers: json), 400, "'capacity'"),
                ("missing field", request("PUT", "/v1/capacity", body: #"{"size": 5}"#, headers: json), 400, "missing field 'capacity'"),
                ("no body", request("PUT", "/v1/capacity"), 400, "needs a JSON body"),
                ("capacity 0", request("PUT", "/v1/capacity", body: #"{"capacity": 0}"#, headers: json), 422, "capacity"),
                ("capacity -1", request("PUT", "/v1/capacity", body: #"{"capacity": -1}"#, headers: json), 422, "capacity"),
                ("capacity 10^30", request("PUT", "/v1/capacity", body: #"{"capacity": 1000000000000000000000000000000}"#, headers: json), 422, "capacity must be"),
                ("wrong method", request("DELETE", "/v1/snapshot"), 405, "DELETE is not allowed"),
                ("wrong method on sweep", request("GET", "/v1/sweep"), 405, "use POST"),
                ("unknown path", request("GET", "/v2/everything"), 404, "no endpoint"),
                ("chunked body", request("POST", "/v1/sweep", headers: ["Transfer-Encoding: chunked"]), 501, "transfer-encoding"),
                ("body over the limit", Array("PUT /v1/capacity HTTP/1.1\r\nContent-Length: 10000000\r\n\r\n".utf8), 413, "over the limit"),
                ("bad workload", request("POST", "/v1/load", body: #"{"distribution": "pareto"}"#, headers: json), 400, "unknown distribution"),
                ("workload out of range", request("POST", "/v1/load", body: #"{"read_fraction": 7, "rate": 10}"#, headers: json), 422, "read fraction"),
                ("endless TTL", request("POST", "/v1/load", body: #"{"ttl_mix": [{"weight": 1, "ttl_seconds": 1e300}]}"#, headers: json), 400, "out of range"),
                ("bad key order", request("GET", "/v1/keys?order=coldest"), 400, "hottest or expiring"),
                ("bad key limit", request("GET", "/v1/keys?limit=1000000"), 400, "limit must be"),
                ("form body", request("PUT", "/v1/capacity", body: "capacity=5", headers: ["Content-Type: application/x-www-form-urlencoded"]), 415, "application/json"),
                ("HTTP/2 preface", Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8), 505, "not supported"),
            ]
            for (name, bytes, status, fragment) in cases {
                let reply = try await rawExchange(fixture.socketPath, bytes)
                #expect(reply.status == status, "\(name): got \(reply.status.map(String.init) ?? "nothing"): \(reply.text.prefix(300))")
                #expect(reply.message?.contains(fragment) == true, "\(name): message \(reply.message ?? "none")")
                #expect(fixture.contents() == before, "\(name) changed the cache's data")
                #expect(fixture.cache.capacity == 10_000, "\(name) changed the capacity")
                #expect(try await fixture.client.snapshot().count == 1_000, "\(name): the host stopped serving")
            }
            #expect(!fixture.generator.isRunning)
        }
    }

    @Test func anIdleHalfSentRequestTimesOutWith408() async throws {
        try await withControlServer(configure: { $0.idleTimeout = .milliseconds(150) }) { fixture in
            let reply = try await rawExchange(fixture.socketPath, Array("PUT /v1/capacity HTTP/1.1\r\nContent-Length: 40\r\n\r\n{".utf8),
                                              halfClose: false).text
            #expect(reply.hasPrefix("HTTP/1.1 408"))
            #expect(reply.contains("\"error\""))
            #expect(await eventually { fixture.connectionTasks == 0 })
        }
    }

    @Test func connectionsBeyondTheLimitGet503() async throws {
        try await withControlServer(configure: { $0.maximumConnections = 3 }) { fixture in
            let held = try (0..<3).map { _ in try UnixSocket(path: fixture.socketPath) }
            #expect(await eventually { fixture.server.connectionCount == 3 })
            let reply = try await rawExchange(fixture.socketPath, request("GET", "/v1/caches"))
            #expect(reply.status == 503)
            for socket in held { socket.close() }
            #expect(await eventually { fixture.server.connectionCount == 0 })
            #expect(try await fixture.client.serverInfo().caches.count == 1)
        }
    }

    @Test func keepAliveServesManyRequestsOnOneConnection() async throws {
        try await withControlServer { fixture in
            let client = fixture.client
            for _ in 0..<200 { _ = try await client.snapshot() }
            #expect(fixture.server.connectionCount == 1)
            await client.disconnect()
            #expect(await eventually { fixture.connectionTasks == 0 })
        }
    }

    @Test func gracefulShutdownEndsTheServerDespiteAnOpenConnection() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let cache = try Cache<Int, Int>(capacity: 10)
        let path = directory.path + "/graceful.sock"
        let server = try ControlServer(configuration: .init(socketPath: path), targets: [ControlTarget(cache: cache)], logger: testLogger)
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await server.run() }
                try await server.waitUntilListening()
                let client = ControlClient(path: path)
                _ = try await client.snapshot()
                #expect(server.connectionCount == 1, "the client keeps its connection open")
                trigger.triggerGracefulShutdown()
                try await group.next()
            }
        }
        #expect(server.connectionCount == 0)
        #expect(cache.tasks.liveCounts[.connection] ?? 0 == 0)
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
