@testable import CacheEngine
import CacheEngineTesting
import CacheWorkload
import Testing

@Suite("Workload generator")
struct WorkloadTests {
    @Test func zipfSamplerFollowsTheLaw() {
        let sampler = ZipfSampler(count: 1_000, exponent: 1.0)
        var random = SplitMix64(seed: 7)
        var counts = [Int](repeating: 0, count: 1_001)
        let draws = 200_000
        for _ in 0..<draws { counts[Int(sampler.sample(using: &random))] += 1 }
        #expect(counts[0] == 0)
        let harmonic = (1...1_000).reduce(0.0) { $0 + 1 / Double($1) }
        let expectedFirst = Double(draws) / harmonic
        #expect(abs(Double(counts[1]) - expectedFirst) < expectedFirst * 0.05)
        #expect(abs(Double(counts[2]) - expectedFirst / 2) < expectedFirst * 0.05)
        #expect(counts[1] > counts[10] && counts[10] > counts[500])
    }

    @Test func samplersStayInTheKeySpace() {
        for distribution: Workload.Distribution in [.zipf(skew: 0.8), .uniform, .hotSet(fraction: 0.1, probability: 0.9), .sequential] {
            var sampler = KeySampler(Workload(distribution: distribution, keySpace: 1_000), seed: 1)
            var seen = Set<UInt64>()
            for _ in 0..<20_000 {
                let key = sampler.next()
                #expect(key < 1_000)
                seen.insert(key)
            }
            #expect(seen.count > 100, "\(distribution) drew only \(seen.count) distinct keys")
        }
        var scan = KeySampler(Workload(distribution: .sequential, keySpace: 3), seed: 1)
        #expect((0..<7).map { _ in scan.next() } == [0, 1, 2, 0, 1, 2, 0])
    }

    @Test func invalidWorkloadsAreRefusedWithTheField() throws {
        let cache = try Cache<UInt64, UInt64>(capacity: 100, clock: ManualClock())
        let generator = WorkloadGenerator(cache: cache, makeKey: { $0 }, makeValue: { $0 })
        let bad: [(Workload, String)] = [
            (Workload(distribution: .zipf(skew: 0)), "zipf skew"),
            (Workload(keySpace: 0), "key space"),
            (Workload(readFraction: 1.5), "read fraction"),
            (Workload(rate: 0), "rate"),
            (Workload(workers: 1_000), "workers"),
            (Workload(ttlMix: [.init(weight: -1, ttl: nil)]), "TTL weights"),
        ]
        for (workload, field) in bad {
            #expect {
                try generator.start(workload)
            } throws: { error in
                "\(error)".contains(field)
            }
        }
        #expect(!generator.isRunning && cache.tasks.liveTotal == 0)
    }

    @Test func ratedWorkloadIsPacedByTheClockAndEndsAfterItsDuration() async throws {
        let clock = ManualClock()
        let cache = try Cache<UInt64, UInt64>(capacity: 10_000, clock: clock)
        let generator = WorkloadGenerator(cache: cache, makeKey: { $0 }, makeValue: { $0 })
        try generator.start(Workload(keySpace: 5_000, readFraction: 0.5, rate: 1_000, duration: .seconds(2)))
        #expect(await clock.waitForSleepers(1))
        #expect(generator.operationsPerformed == 10, "one batch (rate / 100) before the first pause")
        for _ in 0..<300 {
            clock.advance(by: .milliseconds(10))
            await clock.waitForSleepers(1, maxYields: 10_000)
            if !generator.isRunning { break }
        }
        #expect(await eventually { !generator.isRunning })
        let performed = generator.operationsPerformed
        #expect(performed >= 1_990 && performed <= 2_010, "performed \(performed)")
        #expect(cache.snapshot().counters.puts > 0)
        #expect(await eventually { cache.tasks.liveCounts[.workload] == 0 })
    }

    @Test func stopEndsAFlatOutWorkloadAndItsTasks() async throws {
        let cache = try Cache<UInt64, UInt64>(capacity: 1_000, clock: ManualClock())
        let generator = WorkloadGenerator(cache: cache, makeKey: { $0 }, makeValue: { $0 })
        try generator.start(Workload(distribution: .uniform, keySpace: 10_000, workers: 3))
        #expect(cache.tasks.liveCounts[.workload] == 3)
        #expect(await eventually { generator.operationsPerformed > 10_000 })
        await generator.stop()
        #expect(!generator.isRunning)
        #expect(cache.tasks.liveCounts[.workload] == 0)
        #expect(cache.count <= 1_000)
    }

    @Test func ttlMixFillsTheExpiryQueue() async throws {
        let clock = ManualClock()
        let cache = try Cache<UInt64, UInt64>(capacity: 10_000, clock: clock)
        let generator = WorkloadGenerator(cache: cache, makeKey: { $0 }, makeValue: { $0 })
        try generator.start(Workload(
            distribution: .uniform, keySpace: 5_000, readFraction: 0,
            ttlMix: [.init(weight: 1, ttl: .milliseconds(500)), .init(weight: 1, ttl: .seconds(600)), .init(weight: 1, ttl: nil)]))
        #expect(await eventually { generator.operationsPerformed > 20_000 })
        await generator.stop()
        let due = cache.snapshot().expiry.due
        #expect(due.nextSecond > 0 && due.nextHour > 0)
        #expect(due.total < cache.count, "entries without a TTL are not queued")
    }

    @Test func backendLatencyLoadsThroughSingleFlight() async throws {
        let clock = ManualClock()
        let cache = try Cache<UInt64, UInt64>(capacity: 1_000, clock: clock)
        let generator = WorkloadGenerator(cache: cache, makeKey: { $0 }, makeValue: { $0 })
        try generator.start(Workload(keySpace: 100, readFraction: 1, workers: 4, backendLatency: .milliseconds(50)))
        // The backend's first answers are due once a loader sleeps on the clock.
        #expect(await eventually { clock.sleeperCount >= 1 })
        clock.advance(by: .milliseconds(50))
        #expect(await eventually { cache.loadStatistics.withLock { $0.successes } >= 1 })
        await generator.stop()
        #expect(cache.tasks.liveCounts[.workload] == 0)
        // Loads started by the stopped workers belong to every waiter: they finish when the
        // backend answers, and then nothing is left.
        clock.advance(by: .milliseconds(50))
        #expect(await eventually { cache.tasks.liveTotal == 0 }, "\(cache.tasks.liveCounts)")
        #expect(cache.inFlightCount == 0)
    }
}
