@_spi(Benchmark) @testable import CacheEngine
import CacheEngineTesting
import Testing

/// Random operation sequences against a plain dictionary model. The removal listener tells the
/// model what the policy evicted, so after every step the cache must agree with the model
/// exactly, and every internal invariant must hold.
@Suite("Model-based")
struct ModelBasedTests {
    struct ModelEntry: Equatable {
        var value: Int?
        var deadline: Int64?
        /// The end of the entry's time to live, past which no read under a time to idle moves
        /// its deadline.
        var limit: Int64?
    }

    /// The model's time to idle, when a case runs with one.
    static let idle: Int64 = 1_500_000_000

    @Sendable static func weight(_ key: Int, _ value: Int) -> Int { value % 7 + 1 }

    @Test(arguments: [
        (EvictionPolicy.windowTinyLFU, false, 1 as UInt64, idle: false),
        (.windowTinyLFUHillClimber, false, 5, idle: false),
        (.windowTinyLFU, true, 2, idle: false),
        (.windowTinyLFUHillClimber, false, 3, idle: false),
        (.windowTinyLFU, false, 4, idle: false),
        (.windowTinyLFU, false, 6, idle: true),
        (.windowTinyLFU, true, 7, idle: true),
    ] as [(EvictionPolicy, Bool, UInt64, idle: Bool)])
    func randomSequencesAgreeWithTheModel(policy: EvictionPolicy, weighted: Bool, seed: UInt64, idle: Bool = false) throws {
        let lockFree = try agreeWithTheModel(policy: policy, weighted: weighted, seed: seed, idle: idle, deadlines: true)
        // Entries with deadlines are read without the lock too; a time to idle closes every
        // shard to such reads (a read moves the deadline).
        if idle {
            #expect(lockFree.hits == 0 && lockFree.misses == 0)
        } else {
            #expect(lockFree.hits > 100, "lock-free hits: \(lockFree.hits)")
        }
    }

    /// Without any deadline: most lookups are answered without the lock, across slab growth,
    /// compaction and index rebuilds, and must agree with the model all the same.
    @Test(arguments: [(false, 8 as UInt64), (true, 9), (false, 10)])
    func lockFreeReadsAgreeWithTheModel(weighted: Bool, seed: UInt64) throws {
        let lockFree = try agreeWithTheModel(policy: .windowTinyLFU, weighted: weighted, seed: seed, idle: false, deadlines: false)
        #expect(lockFree.hits > 200, "lock-free hits: \(lockFree.hits)")
        #expect(lockFree.misses > 100, "lock-free misses: \(lockFree.misses)")
        #expect(lockFree.dropped == 0, "one thread never finds its shard busy")
    }

    /// Runs 6,000 random steps against the model; returns the cache's lock-free read counts.
    /// Without `deadlines`, writes carry no TTL and absences are not cached.
    @discardableResult
    func agreeWithTheModel(policy: EvictionPolicy, weighted: Bool, seed: UInt64, idle: Bool, deadlines: Bool) throws
        -> (hits: Int, misses: Int, dropped: Int)
    {
        var random = SeededGenerator(seed: seed)
        let clock = ManualClock()
        let log = RemovalLog<Int, Int>()
        let weigher: (@Sendable (Int, Int) -> Int)? = weighted ? Self.weight : nil
        let cache = try Cache<Int, Int>(
            capacity: weighted ? 300 : 64,
            weigher: weigher,
            policy: policy, shardCount: 2, timeToIdle: idle ? .nanoseconds(Self.idle) : nil, clock: clock,
            removalListener: log.listener)
        var model: [Int: ModelEntry] = [:]

        /// A write at `now` that lives `ttl` (nil: no TTL), as the model sees it.
        func written(_ value: Int?, ttl: Int64?, now: Int64) -> ModelEntry {
            let limit = ttl.map { now + $0 }
            guard idle else { return ModelEntry(value: value, deadline: limit) }
            return ModelEntry(value: value, deadline: min(limit ?? .max, now + Self.idle), limit: limit)
        }

        func applyRemovals() {
            for (key, value, cause) in log.drain() where cause != .replaced {
                #expect(model[key]?.value == value, "removed \(key) with \(String(describing: value)) (\(cause))")
                model[key] = nil
            }
        }

        for step in 0..<6_000 {
            let key = Int.random(in: 0..<160, using: &random)
            let now = clock.nanoseconds()
            switch Int.random(in: 0..<100, using: &random) {
            case 0..<40:
                let expected = model[key].flatMap { entry -> Int?? in
                    if let deadline = entry.deadline, deadline <= now { return nil }
                    return .some(entry.value)
                }
                let got = cache.lookup(forKey: key)
                applyRemovals()
                if idle, expected != nil, let entry = model[key] {
                    model[key]?.deadline = min(entry.limit ?? .max, now + Self.idle)
                }
                switch expected {
                case .some(.some(let value)): #expect(got == .hit(value), "step \(step) key \(key)")
                case .some(.none): #expect(got == .absent, "step \(step) key \(key)")
                case .none: #expect(got == .miss, "step \(step) key \(key)")
                }
            case 40..<70:
                let value = Int.random(in: 0..<1_000, using: &random)
                cache.setValue(value, forKey: key)
                model[key] = written(value, ttl: nil, now: now)
                applyRemovals()
            case 70..<86 where !deadlines:
                let value = Int.random(in: 0..<1_000, using: &random)
                cache.setValue(value, forKey: key)
                model[key] = written(value, ttl: nil, now: now)
                applyRemovals()
            case 70..<82:
                let value = Int.random(in: 0..<1_000, using: &random)
                let ttl = Int64.random(in: 1...5_000, using: &random)
                cache.setValue(value, forKey: key, ttl: Duration.milliseconds(ttl))
                model[key] = written(value, ttl: ttl * 1_000_000, now: now)
                applyRemovals()
            case 82..<86:
                cache.setAbsent(forKey: key, ttl: Duration.seconds(2))
                model[key] = written(nil, ttl: 2_000_000_000, now: now)
                applyRemovals()
            case 86..<92:
                cache.removeValue(forKey: key)
                applyRemovals()
                #expect(model[key] == nil)
            case 92..<96:
                clock.advance(by: Duration.milliseconds(Int64.random(in: 1...700, using: &random)))
            case 96..<99:
                let report = cache.sweep()
                applyRemovals()
                #expect(report.removed <= report.examined)
            default:
                let capacity = weighted ? Int.random(in: 50...400, using: &random) : Int.random(in: 8...100, using: &random)
                try cache.resize(capacity: capacity)
                applyRemovals()
            }
            #expect(cache.weightedSize <= cache.capacity)
            if step % 50 == 0 { expectConsistent(cache) }
        }
        // Everything the model still holds and has not expired is in the cache.
        let now = clock.nanoseconds()
        for (key, entry) in model where (entry.deadline ?? .max) > now {
            #expect(cache.lookup(forKey: key) == (entry.value.map { .hit($0) } ?? .absent))
        }
        expectConsistent(cache)
        return cache.lockFreeReads
    }
}
