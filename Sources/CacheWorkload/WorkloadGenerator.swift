import CacheEngine
import Synchronization

/// Runs a ``Workload`` against a cache as registered tasks (kind `workload`), one per worker.
///
/// Starting replaces any workload already running. Stopping cancels the workers and waits for
/// them. A workload with a duration ends by itself. Thread-safe.
public final class WorkloadGenerator<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct State {
        var workers: [RegisteredTask] = []
        var workload: Workload?
        var generation: UInt64 = 0
    }

    public let cache: Cache<Key, Value>
    private let makeKey: @Sendable (UInt64) -> Key
    private let makeValue: @Sendable (UInt64) -> Value
    private let backend: (@Sendable (UInt64) async throws -> Value)?
    private let state = EngineMutex(State())
    private let performed = Atomic<Int>(0)
    private let liveWorkers = Atomic<Int>(0)

    /// - Parameters:
    ///   - makeKey: turns a key index into a cache key.
    ///   - makeValue: the value stored for a key index.
    ///   - backend: what a read miss loads from when the workload has a `backendLatency`; by
    ///     default a backend that answers `makeValue` after that latency on the cache's clock.
    public init(cache: Cache<Key, Value>, makeKey: @escaping @Sendable (UInt64) -> Key,
                makeValue: @escaping @Sendable (UInt64) -> Value,
                backend: (@Sendable (UInt64) async throws -> Value)? = nil) {
        self.cache = cache
        self.makeKey = makeKey
        self.makeValue = makeValue
        self.backend = backend
    }

    /// Operations performed by all workloads so far.
    public var operationsPerformed: Int { performed.load(ordering: .relaxed) }

    /// Whether workers are running.
    public var isRunning: Bool { liveWorkers.load(ordering: .relaxed) > 0 }

    /// The workload most recently started, while it runs.
    public var current: Workload? {
        isRunning ? state.withLock { $0.workload } : nil
    }

    /// Starts `workload`, cancelling any running one (without waiting for it).
    /// - Throws: ``WorkloadError`` when the workload is invalid; nothing changes then.
    public func start(_ workload: Workload, seed: UInt64 = 0x5EED) throws(WorkloadError) {
        try workload.validate()
        let previous = state.withLock { state -> [RegisteredTask] in
            state.generation += 1
            state.workload = workload
            defer { state.workers = [] }
            return state.workers
        }
        for worker in previous { worker.cancel() }
        var started: [RegisteredTask] = []
        for index in 0..<workload.workers {
            liveWorkers.add(1, ordering: .relaxed)
            let workerSeed = SplitMix64.mix(seed &+ UInt64(index))
            started.append(cache.tasks.spawn(.workload) { [self] in
                await runWorker(workload, seed: workerSeed)
                liveWorkers.subtract(1, ordering: .relaxed)
            })
        }
        state.withLock { $0.workers = started }
    }

    /// Cancels the running workload and waits until its workers have ended.
    public func stop() async {
        let workers = state.withLock { state -> [RegisteredTask] in
            defer { state.workers = [] }
            return state.workers
        }
        for worker in workers { worker.cancel() }
        for worker in workers { await worker.wait() }
    }

    private func runWorker(_ workload: Workload, seed: UInt64) async {
        let clock = cache.clock
        var sampler = KeySampler(workload, seed: seed)
        let started = clock.nanoseconds()
        let deadline = workload.duration.map { started &+ $0.nanosecondsClamped }
        let perWorkerRate = workload.rate.map { max(1, Double($0) / Double(workload.workers)) }
        let batch = perWorkerRate.map { max(1, min(256, Int($0 / 100))) } ?? 256
        let ttlWeights = workload.ttlMix.reduce(0) { $0 + $1.weight }
        var done = 0
        // With a backend, a read that misses waits for the single-flight loader in a child task,
        // as a service's concurrent requests would, at most `maximumOutstandingReads` per
        // worker: a stalled backend then stalls the worker, as it would a service's handlers.
        await withTaskGroup(of: Void.self) { reads in
            var outstanding = 0
            while !Task.isCancelled {
                if let deadline, clock.nanoseconds() >= deadline { break }
                for _ in 0..<batch {
                    let index = sampler.next()
                    let key = makeKey(index)
                    let ttl = pickTTL(workload.ttlMix, total: ttlWeights, &sampler)
                    if sampler.unit() < workload.readFraction {
                        if let latency = workload.backendLatency {
                            // Hits are served here; only a miss costs a task.
                            let begun = cache.beginLoad(key)
                            if case .cached = begun.step { continue }
                            while outstanding >= Self.maximumOutstandingReads, await reads.next() != nil {
                                outstanding -= 1
                            }
                            reads.addTask { await self.load(begun, index: index, ttl: ttl, latency: latency) }
                            outstanding += 1
                        } else if cache.value(forKey: key) == nil {
                            cache.setValue(makeValue(index), forKey: key, ttl: ttl)
                        }
                    } else {
                        cache.setValue(makeValue(index), forKey: key, ttl: ttl)
                    }
                }
                done += batch
                performed.add(batch, ordering: .relaxed)
                if let perWorkerRate {
                    // Pace against the schedule, so a slow batch is caught up rather than lost.
                    let due = started &+ Int64(Double(done) / perWorkerRate * 1e9)
                    let wait = due &- clock.nanoseconds()
                    if wait > 0 {
                        do { try await clock.sleep(for: .nanoseconds(wait)) } catch { break }
                    }
                } else {
                    await Task.yield()
                }
            }
            reads.cancelAll()
        }
    }

    /// Reads in flight through the loader, per worker, before the worker waits for one to end.
    static var maximumOutstandingReads: Int { 1024 }

    /// A miss through the single-flight loader: joins the key's load or leads it.
    private func load(_ begun: (step: Cache<Key, Value>.LoadStep, key: Key, hash: KeyHash), index: UInt64,
                      ttl: Duration?, latency: Duration) async {
        let backend = self.backend
        let makeValue = self.makeValue
        let clock = cache.clock
        _ = try? await cache.completeLoad(begun, ttl: ttl, absentTTL: nil) { _ in
            if let backend { return try await backend(index) }
            try await clock.sleep(for: latency)
            return makeValue(index)
        }
    }

    private func pickTTL(_ mix: [Workload.TTLShare], total: Double, _ sampler: inout KeySampler) -> Duration? {
        guard !mix.isEmpty else { return nil }
        var point = sampler.unit() * total
        for share in mix {
            point -= share.weight
            if point < 0 { return share.ttl }
        }
        return mix.last?.ttl
    }
}
