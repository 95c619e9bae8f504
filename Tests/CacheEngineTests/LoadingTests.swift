@testable import CacheEngine
import CacheEngineTesting
import CacheWorkload
import ServiceLifecycleTestKit
import Synchronization
import Testing

struct BackendError: Error, Equatable {}

@Suite("Single flight")
struct LoadingTests {
    @Test func oneLoadForAThousandConcurrentCallers() async throws {
        let cache = try Cache<Int, Int>(capacity: 100, clock: ManualClock())
        let calls = Counter()
        let gate = Gate()
        try await withThrowingTaskGroup(of: Int?.self) { group in
            for _ in 0..<1_000 {
                group.addTask {
                    try await cache.value(forKey: 42) { key in
                        calls.increment()
                        await gate.wait()
                        return key * 2
                    }
                }
            }
            #expect(await eventually { cache.loadWaiters == 1_000 })
            gate.open()
            var results = 0
            for try await value in group {
                #expect(value == 84)
                results += 1
            }
            #expect(results == 1_000)
        }
        #expect(calls.value == 1)
        #expect(cache.value(forKey: 42) == 84)
        #expect(cache.inFlightCount == 0)
        let loads = cache.snapshot().loads
        #expect(loads.successes == 1 && loads.inFlight == 0 && loads.waiters == 0)
    }

    @Test func failuresAreNotCachedAndReachEveryWaiter() async throws {
        let cache = try Cache<Int, Int>(capacity: 100, clock: ManualClock())
        await #expect(throws: BackendError.self) {
            try await cache.value(forKey: 1) { _ in throw BackendError() }
        }
        #expect(cache.value(forKey: 1) == nil)
        let value = try await cache.value(forKey: 1) { _ in 10 }
        #expect(value == 10)
        #expect(cache.snapshot().loads.failures == 1)
    }

    @Test func cancellingOneWaiterLeavesTheLoadForTheOthers() async throws {
        let cache = try Cache<Int, Int>(capacity: 100, clock: ManualClock())
        let gate = Gate()
        let calls = Counter()
        let loader: @Sendable (Int) async throws -> Int? = { key in
            calls.increment()
            await gate.wait()
            return key + 1
        }
        let cancelled = Task { try await cache.value(forKey: 5, loader: loader) }
        let patient = Task { try await cache.value(forKey: 5, loader: loader) }
        #expect(await eventually { cache.loadWaiters == 2 })
        cancelled.cancel()
        await #expect(throws: CancellationError.self) { try await cancelled.value }
        #expect(cache.loadWaiters == 1)
        gate.open()
        #expect(try await patient.value == 6)
        #expect(calls.value == 1)
        #expect(cache.value(forKey: 5) == 6)
    }

    @Test func aWriteDuringALoadIsNotOverwrittenByTheLoad() async throws {
        let cache = try Cache<Int, Int>(capacity: 100, clock: ManualClock())
        for (key, interference) in [(1, "set"), (2, "remove")] {
            let gate = Gate()
            let loading = Task { try await cache.value(forKey: key) { _ in await gate.wait(); return 10 } }
            #expect(await eventually { cache.inFlightCount == 1 })
            if interference == "set" { cache.setValue(99, forKey: key) } else { cache.removeValue(forKey: key) }
            gate.open()
            #expect(try await loading.value == 10, "the waiters still get the load's answer")
            #expect(await eventually { cache.inFlightCount == 0 })
            #expect(cache.value(forKey: key) == (interference == "set" ? 99 : nil), "the \(interference) during the load wins")
        }
    }

    @Test func aReadAfterARemovalDoesNotJoinTheLoadItOvertook() async throws {
        // The catalog service's rule: once a write has invalidated a key, no read that starts
        // afterwards may return what a load begun before the write read from the source.
        let cache = try Cache<Int, Int>(capacity: 100, clock: ManualClock())
        let before = Gate()
        let early = Task { try await cache.value(forKey: 1) { _ in await before.wait(); return 10 } }
        #expect(await eventually { cache.inFlightCount == 1 })
        cache.removeValue(forKey: 1)
        #expect(cache.inFlightCount == 0, "the overtaken load leaves the in-flight table")
        let late = try await cache.value(forKey: 1) { _ in 11 }
        #expect(late == 11, "a read after the removal loads anew rather than joining the old load")
        before.open()
        #expect(try await early.value == 10, "the early reader still gets its own load's answer")
        #expect(cache.value(forKey: 1) == 11, "the overtaken load does not overwrite the newer one")
    }

    @Test func absenceIsCachedForItsOwnTTL() async throws {
        let clock = ManualClock()
        let cache = try Cache<Int, Int>(capacity: 100, clock: clock)
        let calls = Counter()
        let loader: @Sendable (Int) async throws -> Int? = { _ in
            calls.increment()
            return nil
        }
        for _ in 0..<100 {
            #expect(try await cache.value(forKey: 9, absentTTL: .seconds(2), loader: loader) == nil)
        }
        #expect(calls.value == 1, "a flood of requests for a missing key reaches the backend once")
        clock.advance(by: .seconds(2))
        _ = try await cache.value(forKey: 9, absentTTL: .seconds(2), loader: loader)
        #expect(calls.value == 2)
        #expect(cache.snapshot().counters.absentHits == 99)
    }

    /// The GoFiber failure: a per-key table that never shrinks. After a million distinct keys
    /// loaded through successes, failures and cancelled waiters, nothing is left in flight.
    @Test func inFlightTableIsEmptyAfterAMillionLoads() async throws {
        let cache = try Cache<Int, Int>(capacity: 10_000, clock: ManualClock())
        let batch = 2_000
        for start in stride(from: 0, to: 1_000_000, by: batch) {
            await withTaskGroup(of: Void.self) { group in
                for key in start..<(start + batch) {
                    group.addTask {
                        switch key % 3 {
                        case 0:
                            _ = try? await cache.value(forKey: key) { $0 }
                        case 1:
                            _ = try? await cache.value(forKey: key) { _ in throw BackendError() }
                        default:
                            let waiter = Task { try await cache.value(forKey: key) { k in await Task.yield(); return k } }
                            waiter.cancel()
                            _ = try? await waiter.value
                        }
                    }
                }
            }
        }
        #expect(await eventually { cache.tasks.liveCounts[.loader, default: 0] == 0 })
        #expect(cache.inFlightCount == 0)
        let loads = cache.snapshot().loads
        #expect(loads.inFlight == 0 && loads.waiters == 0)
        #expect(loads.successes + loads.failures == 1_000_000)
        #expect(cache.tasks.startedCounts[.loader] == 1_000_000)
    }
}

@Suite("Tasks")
struct TaskTests {
    @Test func cancellingRunLeavesNoLiveTask() async throws {
        let clock = ManualClock()
        let cache = try Cache<Int, Int>(capacity: 100, clock: clock)
        let service = Task { try await cache.run() }
        #expect(await clock.waitForSleepers(1))
        #expect(cache.tasks.liveCounts[.sweeper] == 1)
        // A load stuck on a backend that never answers.
        let stuck = Task { try await cache.value(forKey: 1) { _ in try await clock.sleep(for: .seconds(3_600)); return 1 } }
        #expect(await eventually { cache.tasks.liveCounts[.loader] == 1 })
        service.cancel()
        try await service.value
        #expect(cache.tasks.liveTotal == 0, "live tasks: \(cache.tasks.liveCounts)")
        await #expect(throws: CancellationError.self) { try await stuck.value }
        #expect(cache.inFlightCount == 0)
    }

    @Test func gracefulShutdownEndsRunAndItsTasks() async throws {
        let clock = ManualClock()
        let cache = try Cache<Int, Int>(capacity: 100, clock: clock)
        try await testGracefulShutdown { trigger in
            let service = Task { try await cache.run() }
            #expect(await clock.waitForSleepers(1))
            let generator = WorkloadGenerator(cache: cache, makeKey: { Int($0) }, makeValue: { Int($0) })
            try generator.start(Workload(keySpace: 1_000, rate: 100, workers: 2))
            #expect(cache.tasks.liveCounts[.workload] == 2)
            trigger.triggerGracefulShutdown()
            try await service.value
            #expect(cache.tasks.liveTotal == 0, "live tasks after a graceful shutdown: \(cache.tasks.liveCounts)")
            #expect(!generator.isRunning)
        }
    }

    @Test func registryCountsByKindAndCancelsAll() async {
        let registry = TaskRegistry()
        let clock = ManualClock()
        for _ in 0..<10 { registry.spawn(.workload) { try? await clock.sleep(for: .seconds(100)) } }
        #expect(registry.liveCounts[.workload] == 10)
        await registry.cancelAll()
        #expect(registry.liveTotal == 0)
        #expect(registry.startedCounts[.workload] == 10)
    }
}
