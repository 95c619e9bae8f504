@testable import CacheEngine
import CacheEngineTesting
import Synchronization
import Testing

/// Bulk loads share single flight with single loads, load each missing key once, and cache
/// absences; a loader can decide each answer's lifetime. On a manual clock.
@Suite("Bulk loads and loader-decided lifetimes")
struct BulkAndLifetimeLoadingTests {
    final class Calls: Sendable {
        let batches = EngineMutex<[[Int]]>([])
        func record(_ keys: [Int]) { batches.withLock { $0.append(keys.sorted()) } }
        var all: [[Int]] { batches.withLock { $0 } }
    }

    @Test func onlyMissingKeysReachTheLoaderOnce() async throws {
        let cache = try Cache<Int, String>(capacity: 1_000, clock: ManualClock())
        cache.setValue("cached", forKey: 1)
        let calls = Calls()
        let values = try await cache.values(forKeys: [1, 2, 3, 3, 404], absentTTL: .seconds(60)) { keys in
            calls.record(keys)
            return Dictionary(uniqueKeysWithValues: keys.filter { $0 != 404 }.map { ($0, "loaded \($0)") })
        }
        #expect(values == [1: "cached", 2: "loaded 2", 3: "loaded 3"])
        #expect(calls.all == [[2, 3, 404]])
        // The absence of 404 is cached: asking again reaches no loader.
        let again = try await cache.values(forKeys: [2, 404]) { keys in
            calls.record(keys)
            return [:]
        }
        #expect(again == [2: "loaded 2"])
        #expect(calls.all.count == 1)
        #expect(cache.inFlightCount == 0)
    }

    @Test func aBulkLoadJoinsASingleLoadInFlight() async throws {
        let cache = try Cache<Int, String>(capacity: 1_000, clock: ManualClock())
        let release = Gate()
        let singleCalls = EngineMutex<Int>(0)
        let single = Task {
            try await cache.value(forKey: 7) { key in
                singleCalls.withLock { $0 += 1 }
                await release.wait()
                return "single \(key)"
            }
        }
        #expect(await eventually { cache.inFlightCount == 1 })
        let calls = Calls()
        let bulk = Task {
            try await cache.values(forKeys: [7, 8]) { keys in
                calls.record(keys)
                return Dictionary(uniqueKeysWithValues: keys.map { ($0, "bulk \($0)") })
            }
        }
        #expect(await eventually { cache.loadWaiters >= 2 })
        release.open()
        let values = try await bulk.value
        #expect(try await single.value == "single 7")
        #expect(values == [7: "single 7", 8: "bulk 8"])
        #expect(calls.all == [[8]], "key 7 was loaded once, by the single load")
        #expect(singleCalls.withLock { $0 } == 1)
    }

    @Test func aFailedBulkLoadReachesEveryWaiterAndCachesNothing() async throws {
        struct Down: Error {}
        let cache = try Cache<Int, Int>(capacity: 1_000, clock: ManualClock())
        await #expect(throws: Down.self) {
            _ = try await cache.values(forKeys: [1, 2], absentTTL: .seconds(60)) { _ in throw Down() }
        }
        #expect(cache.count == 0)
        #expect(cache.inFlightCount == 0)
        let values = try await cache.values(forKeys: [1, 2]) { keys in
            Dictionary(uniqueKeysWithValues: keys.map { ($0, $0 * 10) })
        }
        #expect(values == [1: 10, 2: 20])
    }

    @Test func theLoaderDecidesEachAnswersLifetime() async throws {
        let clock = ManualClock()
        let cache = try Cache<String, String>(capacity: 100, defaultTTL: .seconds(600), clock: clock)
        let token = try await cache.value(forKey: "token") { _ in .value("abc", ttl: .seconds(30)) }
        let missing = try await cache.value(forKey: "ghost") { _ in .absent(ttl: .seconds(5)) }
        let plain = try await cache.value(forKey: "plain") { _ in .value("p") }
        #expect(token == "abc" && missing == nil && plain == "p")
        #expect(cache.lookup(forKey: "ghost") == .absent)
        clock.advance(by: .seconds(6))
        #expect(cache.lookup(forKey: "ghost") == .miss, "the absence lived 5 s")
        #expect(cache.value(forKey: "token") == "abc")
        clock.advance(by: .seconds(25))
        #expect(cache.value(forKey: "token") == nil, "the token lived 30 s")
        #expect(cache.value(forKey: "plain") == "p", "no TTL from the loader: the cache's default, 600 s")
        let uncached = try await cache.value(forKey: "nobody") { _ in .absent(ttl: nil) }
        #expect(uncached == nil)
        #expect(cache.lookup(forKey: "nobody") == .miss)
    }
}
