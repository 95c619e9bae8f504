@testable import CacheControl
import CacheEngine
import Foundation
import Testing

/// `GET /v1/sample` (a dashboard's whole sample in one request) and `GET /v1/key` (one key
/// looked up from typed text), with their bounds and errors.
@Suite struct ControlKeyAndSampleTests {
    @Test func oneSampleCarriesWhatTheDashboardDraws() async throws {
        try await withControlServer { fixture in
            let client = fixture.client
            let sample = try await client.sample(expiring: 3, hottest: 5)
            #expect(sample.cache == "main" && sample.caches == ["main"])
            #expect(sample.pid == getpid() && !sample.readOnly)
            #expect(sample.snapshot.count == 1_000)
            #expect(sample.expiring.count == 3 && sample.expiring.allSatisfy { $0.timeLeftMilliseconds == 10_000 })
            #expect(sample.hottest?.count == 5)
            #expect(sample.load.enabled && !sample.load.running)
            let plain = try await client.sample()
            #expect(plain.hottest == nil, "the hottest keys only when asked for")
            #expect(plain.expiring.count == 8)
            await #expect(throws: ControlClientError.refused(status: 400, message: "hottest must be a whole number from 0 to 1000, got '5000'")) {
                _ = try await client.sample(hottest: 5_000)
            }
        }
    }

    @Test func aKeyIsLookedUpWithoutDisturbingThePolicy() async throws {
        try await withControlServer { fixture in
            let client = fixture.client
            let before = fixture.cache.snapshot().counters
            let found = try await client.lookUp(key: "42")
            #expect(found.cached && found.key == "42")
            #expect(found.entry?.key == "key-42", "described as the host describes keys")
            #expect(found.entry?.timeLeftMilliseconds == 10_000 && found.entry?.ageMilliseconds == 0)
            #expect(found.entry?.weight == 1)
            #expect((0..<4).contains(found.entry?.shard ?? -1))
            #expect(found.entry?.frequency == nil, "a shard a tenth full has no frequency sketch yet: no estimate, not a 0")
            let odd = try await client.lookUp(key: "43")
            #expect(odd.cached && odd.entry?.timeLeftMilliseconds == nil, "no deadline")
            let missing = try await client.lookUp(key: "5000")
            #expect(!missing.cached && missing.entry == nil)
            let after = fixture.cache.snapshot().counters
            #expect(after.hits == before.hits && after.misses == before.misses, "a look is not a use")

            await #expect(throws: ControlClientError.refused(status: 422, message: "'user:x' is not a key of cache 'main'")) {
                _ = try await client.lookUp(key: "user:x")
            }
            let long = String(repeating: "9", count: 201)
            await #expect(throws: ControlClientError.refused(status: 400, message: "a key is at most 200 characters, got 201")) {
                _ = try await client.lookUp(key: long)
            }
            let empty = try await rawExchange(fixture.socketPath, request("GET", "/v1/key"))
            #expect(empty.status == 400 && empty.message?.contains("name the key") == true)
            let post = try await rawExchange(fixture.socketPath, request("POST", "/v1/key?key=1"))
            #expect(post.status == 405)
            #expect(fixture.contents().count == 1_000, "the data is unchanged")
        }
    }

    @Test func aHostWithoutAKeyParserSaysSo() async throws {
        struct OpaqueKey: Hashable, Sendable { let id: Int }
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let cache = try Cache<OpaqueKey, Int>(capacity: 10)
        let path = directory.path + "/opaque.sock"
        let server = try ControlServer(configuration: .init(socketPath: path), targets: [ControlTarget(name: "opaque", cache: cache)],
                                       logger: testLogger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            try await server.waitUntilListening()
            await #expect(throws: ControlClientError.refused(status: 501, message: "cache 'opaque' cannot look keys up: the host gave its ControlTarget no parseKey")) {
                _ = try await ControlClient(path: path).lookUp(key: "1")
            }
            group.cancelAll()
        }
    }
}
