import CacheEngine
import CacheEngineTesting
import CacheMetrics
import Logging
import ServiceLifecycle
import Synchronization
import Testing

/// The README's embedding example and every feature its "Also" list names, compiled against the
/// public API only (no `@testable import`), with stand-ins for the host's types: the documented
/// calls keep compiling and behaving as described.
@Suite("README example")
struct ReadmeExampleTests {
    struct User: Sendable, Equatable { let id: String }

    struct Database: Sendable {
        let calls = Counter()
        func user(id: String) async throws -> User? {
            calls.increment()
            return id == "u:42" ? User(id: id) : nil
        }
    }

    @Test func embeddingExampleWorksAsDocumented() async throws {
        let database = Database()
        let alice = User(id: "u:1")
        let users = try Cache<String, User>(capacity: 100_000, defaultTTL: .seconds(600))

        users.setValue(alice, forKey: "u:1")
        #expect(users.value(forKey: "u:1") == alice)
        users.setValue(User(id: "u:guest"), forKey: "u:guest", ttl: .seconds(30))

        let user = try await users.value(forKey: "u:42", absentTTL: .seconds(30)) { id in
            try await database.user(id: id)
        }
        #expect(user == User(id: "u:42"))
        for _ in 0..<3 {
            let missing = try await users.value(forKey: "u:404", absentTTL: .seconds(30)) { id in
                try await database.user(id: id)
            }
            #expect(missing == nil)
        }
        #expect(database.calls.value == 2, "one load for u:42, one for the cached absence of u:404")

        let removals = Counter()
        let blobs = try Cache<String, [UInt8]>(
            capacity: 64 << 20, weigher: { _, bytes in bytes.count },
            removalListener: { _, _, cause in if cause == .explicit { removals.increment() } })
        blobs.setValue([UInt8](repeating: 0, count: 1_024), forKey: "a")
        #expect(blobs.weightedSize == 1_024)
        blobs.removeValue(forKey: "a")
        #expect(removals.value == 1)

        let clock = ManualClock()
        let tokens = try Cache<String, String>(capacity: 1_000, clock: clock)
        tokens.setValue("secret", forKey: "t:1", ttl: .seconds(60))
        #expect(tokens.value(forKey: "t:1") == "secret")
        clock.advance(by: .seconds(61))
        #expect(tokens.value(forKey: "t:1") == nil)
    }

    @Test func everyFeatureTheReadmeListsIsPublicAndWorks() async throws {
        let clock = ManualClock()
        let cache = try Cache<String, Int>(capacity: 1_000, defaultTTL: .seconds(600), clock: clock)

        #expect(cache.setValueIfMissing(1, forKey: "a") == nil)
        #expect(cache.setValueIfMissing(2, forKey: "a") == 1)
        #expect(cache.computeValue(forKey: "a") { ($0 ?? 0) + 10 } == 11)

        let loaded = try await cache.values(forKeys: ["x", "y", "gone"], absentTTL: .seconds(30)) { keys in
            Dictionary(uniqueKeysWithValues: keys.filter { $0 != "gone" }.map { ($0, $0.count) })
        }
        #expect(loaded == ["x": 1, "y": 1])

        let token = try await cache.value(forKey: "token", refreshAfter: .seconds(60)) { _ in
            .value(42, ttl: .seconds(120))
        }
        #expect(token == 42)
        let missing = try await cache.value(forKey: "nobody") { _ in .absent(ttl: .seconds(5)) }
        #expect(missing == nil)

        var visited = 0
        cache.forEachEntry { _, _ in visited += 1 }
        #expect(visited == cache.count - 2, "the two cached absences are not entries with values")
        #expect(cache.removeAll { key, _ in key == "x" } == 1)
        #expect(cache.removeValue(forKey: "y") == 1)

        #expect(try cache.resize(capacity: 500).newCapacity == 500)
        #expect(cache.sweep().removed >= 0)
        #expect(cache.hottest(5).count <= 5)
        #expect(cache.nextToExpire(5).count <= 5)
        let snapshot = cache.snapshot()
        #expect(snapshot.engineVersion == CacheEngineVersion.current)
        #expect(snapshot.count == cache.count)
        cache.removeAll()
        #expect(cache.count == 0)
    }

    @Test func theServicesRunInAServiceGroupAndStop() async throws {
        let clock = ManualClock()
        let users = try Cache<String, Int>(capacity: 100, sweepInterval: .seconds(1), clock: clock)
        let reporter = CacheMetricsReporter(cache: users, name: "users", clock: clock, logger: Logger(label: "test"))
        let group = ServiceGroup(services: [users, reporter], logger: Logger(label: "test"))
        let running = Task { try await group.run() }
        // The sweeper and the reporter each sleep on the clock once they are running.
        #expect(await clock.waitForSleepers(2))
        await group.triggerGracefulShutdown()
        try await running.value
        #expect(users.tasks.liveTotal == 0)
    }
}

/// A shareable counter for the stand-ins' closures.
final class Counter: Sendable {
    private let storage = Atomic<Int>(0)
    func increment() { storage.add(1, ordering: .relaxed) }
    var value: Int { storage.load(ordering: .relaxed) }
}
