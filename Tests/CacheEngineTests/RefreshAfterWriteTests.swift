@testable import CacheEngine
import CacheEngineTesting
import Testing

/// Refresh after write (stale-while-revalidate): a read past the refresh age returns the cached
/// value at once and reloads it once in the background; a failed reload keeps the old value; a
/// write during the reload wins. On a manual clock.
@Suite("Refresh after write")
struct RefreshAfterWriteTests {
    final class Source: Sendable {
        let version = EngineMutex<Int>(1)
        let calls = EngineMutex<Int>(0)
        let failing = EngineMutex<Bool>(false)
        let gate = EngineMutex<Gate?>(nil)

        func load(_ key: String) async throws -> String? {
            calls.withLock { $0 += 1 }
            if let gate = gate.withLock({ $0 }) { await gate.wait() }
            struct Down: Error {}
            if failing.withLock({ $0 }) { throw Down() }
            return "\(key) v\(version.withLock { $0 })"
        }
    }

    /// A cache, its clock and a source, with "k" loaded (TTL 60 s, refresh after 10 s) and the
    /// clock moved past the refresh age.
    struct Stale {
        let clock = ManualClock()
        let cache: Cache<String, String>
        let source = Source()

        init() async throws {
            cache = try Cache<String, String>(capacity: 100, clock: clock)
            _ = try await read()
            clock.advance(by: .seconds(11))
        }

        /// Reads "k" through the refreshing loader.
        func read() async throws -> String? {
            let source = source
            return try await cache.value(forKey: "k", ttl: .seconds(60), refreshAfter: .seconds(10)) {
                try await source.load($0)
            }
        }
    }

    @Test func aStaleReadReturnsAtOnceAndReloadsOnceInTheBackground() async throws {
        let clock = ManualClock()
        let cache = try Cache<String, String>(capacity: 100, clock: clock)
        let source = Source()
        let load: @Sendable (String) async throws -> String? = { try await source.load($0) }
        #expect(try await cache.value(forKey: "k", ttl: .seconds(60), refreshAfter: .seconds(10), loader: load) == "k v1")
        clock.advance(by: .seconds(5))
        #expect(try await cache.value(forKey: "k", ttl: .seconds(60), refreshAfter: .seconds(10), loader: load) == "k v1")
        #expect(source.calls.withLock { $0 } == 1, "younger than the refresh age: no reload")

        clock.advance(by: .seconds(6))
        source.version.withLock { $0 = 2 }
        let gate = Gate()
        source.gate.withLock { $0 = gate }
        // Many readers past the refresh age: every one gets the cached value without waiting.
        for _ in 0..<20 {
            #expect(try await cache.value(forKey: "k", ttl: .seconds(60), refreshAfter: .seconds(10), loader: load) == "k v1")
        }
        #expect(await eventually { source.calls.withLock { $0 } == 2 })
        #expect((cache.tasks.liveCounts[.refresher] ?? 0) == 1)
        gate.open()
        #expect(await eventually { cache.value(forKey: "k") == "k v2" && cache.inFlightCount == 0 })
        #expect(source.calls.withLock { $0 } == 2, "one reload for twenty stale reads")
        let loads = cache.snapshot().loads
        #expect(loads.refreshes == 1 && loads.refreshFailures == 0)
        #expect(await eventually { (cache.tasks.liveCounts[.refresher] ?? 0) == 0 })
    }

    @Test func aFailedRefreshKeepsTheOldValue() async throws {
        let stale = try await Stale()
        stale.source.failing.withLock { $0 = true }
        #expect(try await stale.read() == "k v1")
        #expect(await eventually { stale.cache.snapshot().loads.refreshFailures == 1 && stale.cache.inFlightCount == 0 })
        #expect(stale.cache.value(forKey: "k") == "k v1")
    }

    @Test func aWriteDuringTheRefreshWins() async throws {
        let stale = try await Stale()
        let gate = Gate()
        stale.source.gate.withLock { $0 = gate }
        stale.source.version.withLock { $0 = 2 }
        _ = try await stale.read()
        #expect(await eventually { stale.source.calls.withLock { $0 } == 2 })
        stale.cache.setValue("written by the host", forKey: "k", ttl: .seconds(60))
        gate.open()
        #expect(await eventually { stale.cache.inFlightCount == 0 })
        #expect(stale.cache.value(forKey: "k") == "written by the host")
    }

    @Test func entriesWithoutADeadlineAreNotRefreshed() async throws {
        let clock = ManualClock()
        let cache = try Cache<String, String>(capacity: 100, clock: clock)
        let source = Source()
        let load: @Sendable (String) async throws -> String? = { try await source.load($0) }
        _ = try await cache.value(forKey: "k", refreshAfter: .seconds(10), loader: load)
        clock.advance(by: .seconds(3_600))
        _ = try await cache.value(forKey: "k", refreshAfter: .seconds(10), loader: load)
        #expect(source.calls.withLock { $0 } == 1)
    }
}
