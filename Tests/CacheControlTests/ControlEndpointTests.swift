@testable import CacheControl
import CacheEngine
import Foundation
import Testing

@Suite struct ControlEndpointTests {
    @Test func everyEndpointThroughTheClient() async throws {
        try await withControlServer { fixture in
            let client = fixture.client
            let info = try await client.serverInfo()
            #expect(info.caches.map(\.name) == ["main"])
            #expect(info.pid == getpid())
            #expect(info.caches[0].load.enabled)

            let snapshot = try await client.snapshot()
            #expect(snapshot.count == 1_000)
            #expect(snapshot.capacity == 10_000)
            #expect(try await client.snapshot(cache: "main").count == 1_000)

            fixture.clock.advance(by: .seconds(11))
            let sweep = try await client.sweep()
            #expect(sweep.removed == 500)
            #expect(fixture.cache.count == 500)

            let change = try await client.resize(capacity: 100)
            #expect(change.oldCapacity == 10_000)
            #expect(change.newCapacity == 100)
            #expect(change.evicted == 400)
            #expect(fixture.cache.count == 100)

            let hottest = try await client.keys(order: .hottest, limit: 5)
            #expect(hottest.entries.count == 5)
            #expect(hottest.entries.allSatisfy { $0.key.hasPrefix("key-") })
            fixture.cache.setValue("soon", forKey: 5_000, ttl: .seconds(3))
            let expiring = try await client.keys(order: .expiring, limit: 1)
            #expect(expiring.entries.first?.key == "key-5000")
            #expect(expiring.entries.first?.timeLeftMilliseconds == 3_000)

            let metrics = try await client.metrics()
            #expect(metrics.contains("cache_gets_total{cache=\"main\",result=\"hit\"}"))
            #expect(metrics.contains("cache_evictions_total{cache=\"main\",cause=\"expired\"} 500"))
            #expect(metrics.contains("cache_capacity{cache=\"main\"} 100"))

            let started = try await client.startLoad(Workload(distribution: .uniform, keySpace: 1_000, readFraction: 0.5, rate: 500, workers: 1))
            #expect(started.running)
            #expect(started.workload?.rate == 500)
            #expect(started.workload?.duration == .seconds(60), "a missing duration becomes the host's maximum")
            let stopped = try await client.stopLoad()
            #expect(!stopped.running)
        }
    }

    @Test func loadBeyondTheHostsBoundsIsRefusedAndNothingStarts() async throws {
        try await withControlServer { fixture in
            await #expect(throws: ControlClientError.refused(status: 422, message: "invalid workload: rate 5000/s is over this host's limit of 1000/s")) {
                _ = try await fixture.client.startLoad(Workload(rate: 5_000))
            }
            #expect(!fixture.generator.isRunning)
        }
    }

    @Test func loadInjectionIsRefusedUnlessTheHostEnabledIt() async throws {
        try await withControlServer(loadInjection: false) { fixture in
            await #expect(throws: ControlClientError.self) { _ = try await fixture.client.startLoad(Workload(rate: 10)) }
            let reply = try await rawExchange(fixture.socketPath, request("POST", "/v1/load", body: #"{"rate": 10}"#))
            #expect(reply.status == 403)
            #expect(reply.message?.contains("not enabled") == true)
            #expect(fixture.cache.tasks.liveCounts[.workload] == nil)
        }
    }

    @Test func readOnlyRefusesEveryMutatingEndpoint() async throws {
        try await withControlServer(configure: { $0.readOnly = true }) { fixture in
            let before = fixture.contents()
            for (method, path, body) in [("POST", "/v1/sweep", ""), ("PUT", "/v1/capacity", #"{"capacity": 5}"#),
                                         ("POST", "/v1/load", "{}"), ("DELETE", "/v1/load", "")] {
                let reply = try await rawExchange(fixture.socketPath, request(method, path, body: body))
                #expect(reply.status == 403, "\(method) \(path)")
                #expect(reply.message?.contains("read-only") == true)
            }
            #expect(try await fixture.client.snapshot().count == 1_000)
            #expect(try await fixture.client.serverInfo().readOnly)
            #expect(fixture.contents() == before)
            #expect(fixture.cache.capacity == 10_000)
        }
    }

    @Test func severalCachesAreAddressedByName() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let first = try Cache<Int, Int>(capacity: 100)
        let second = try Cache<String, Int>(capacity: 200)
        second.setValue(1, forKey: "x")
        let server = try ControlServer(configuration: .init(socketPath: directory.path + "/multi.sock"),
                                       targets: [ControlTarget(name: "ints", cache: first), ControlTarget(name: "strings", cache: second)],
                                       logger: testLogger)
        let running = Task { try await server.run() }
        try await server.waitUntilListening()
        let client = ControlClient(path: directory.path + "/multi.sock")
        #expect(try await client.serverInfo().caches.map(\.name) == ["ints", "strings"])
        #expect(try await client.snapshot(cache: "strings").capacity == 200)
        #expect(try await client.keys(order: .hottest, cache: "strings").entries.map(\.key) == ["x"])
        await #expect(throws: ControlClientError.refused(status: 404, message: "no cache named 'nope'; this host serves ints, strings")) {
            _ = try await client.snapshot(cache: "nope")
        }
        #expect(try await client.snapshot().capacity == 100, "a read without a name goes to the first cache")
        await #expect(throws: ControlClientError.refused(status: 400, message: "this host serves 2 caches; name one with ?cache=NAME (ints, strings)")) {
            _ = try await client.resize(capacity: 50)
        }
        #expect(first.capacity == 100 && second.capacity == 200, "a change that names no cache changes none")
        running.cancel()
        try await running.value
        #expect(throws: ControlServerError.invalidTargets("two caches share a name")) {
            _ = try ControlServer(configuration: .init(socketPath: "/tmp/x"), targets: [ControlTarget(name: "a", cache: first), ControlTarget(name: "a", cache: first)], logger: testLogger)
        }
    }

    @Test func curlSpeaksToEveryEndpoint() async throws {
        try await withControlServer { fixture in
            func curl(_ arguments: [String]) throws -> (status: Int, body: String) {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
                process.arguments = ["-s", "-o", "-", "-w", "\n%{http_code}", "--unix-socket", fixture.socketPath] + arguments
                let pipe = Pipe()
                process.standardOutput = pipe
                try process.run()
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                let text = String(decoding: data, as: UTF8.self)
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
                return (Int(lines.last ?? "") ?? -1, lines.dropLast().joined(separator: "\n"))
            }
            let base = "http://localhost"
            let caches = try curl([base + "/v1/caches"])
            #expect(caches.status == 200)
            #expect(caches.body.contains("\"name\":\"main\""))
            let snapshot = try curl([base + "/v1/snapshot?cache=main"])
            #expect(snapshot.status == 200)
            let decoded = try JSONDecoder().decode(CacheSnapshot.self, from: Data(snapshot.body.utf8))
            #expect(decoded.count == 1_000)
            #expect(try curl(["-X", "POST", base + "/v1/sweep"]).status == 200)
            let resize = try curl(["-X", "PUT", "-H", "Content-Type: application/json", "-d", #"{"capacity": 2000}"#, base + "/v1/capacity"])
            #expect(resize.status == 200)
            #expect(resize.body.contains("\"new_capacity\":2000"))
            #expect(try curl([base + "/v1/keys?order=expiring&limit=3"]).status == 200)
            let load = try curl(["-X", "POST", "-H", "Content-Type: application/json", "-d", #"{"distribution": "uniform", "rate": 100, "key_space": 10}"#, base + "/v1/load"])
            #expect(load.status == 200, "\(load.body)")
            #expect(try curl(["-X", "DELETE", base + "/v1/load"]).status == 200)
            let metrics = try curl([base + "/metrics"])
            #expect(metrics.status == 200)
            #expect(metrics.body.contains("# TYPE cache_gets_total counter"))
            let wrong = try curl(["-X", "DELETE", base + "/v1/snapshot"])
            #expect(wrong.status == 405)
            #expect(wrong.body.contains("\"error\""))
            #expect(try curl([base + "/nowhere"]).status == 404)
            #expect(fixture.cache.capacity == 2_000)
        }
    }

    @Test func everyMetricFamilyIsDocumented() throws {
        let docs = try String(contentsOfFile: #filePath.components(separatedBy: "/Tests/")[0] + "/docs/CONTROL.md", encoding: .utf8)
        for family in PrometheusExposition.families {
            #expect(docs.contains("`\(family.name)`"), "docs/CONTROL.md does not list \(family.name)")
        }
    }
}
