@_spi(Benchmark) import CacheEngine
import Foundation
import Synchronization

enum Mix: String, CaseIterable {
    case read100, read75, write100
}

/// An operation counter on its own cache line, written by one thread, read by the main one.
final class PaddedCounter: @unchecked Sendable {
    private var padding0: (Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0)
    let ops = Atomic<Int>(0)
    private var padding1: (Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0)
}

final class StopFlag: Sendable {
    let stopped = Atomic<Bool>(false)
}

/// A read-only copy of the trace that threads share without reference counting.
struct SharedKeys: @unchecked Sendable {
    let buffer: UnsafeBufferPointer<UInt64>
}

/// WORKLOAD.md throughput mode: capacity 2,000,000 (or `capacity`; nil: the distinct-key count), prefilled with every distinct key; T
/// threads replay the trace from offsets i*len/T, for S seconds after a 1 s warm-up. Each
/// configuration runs `runs` times, interleaved across the caches; the median is reported.
enum ThroughputMode {
    static func run(trace: Trace, mixes: [Mix], threadCounts: [Int], seconds: Double, runs: Int, caches: [String], capacity requested: Int?) throws {
        let storage = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: trace.keys.count)
        _ = storage.initialize(from: trace.keys)
        defer { storage.deallocate() }
        let keys = SharedKeys(buffer: UnsafeBufferPointer(storage))
        let distinct = Array(Set(trace.keys))
        let capacity = requested ?? distinct.count
        for mix in mixes {
            for threads in threadCounts {
                // Runs are interleaved across caches (run 1 of each, then run 2 of each, ...), so
                // that a slow spell of the shared machine lands on every cache alike rather than on
                // all the runs of one.
                var results = [String: [Double]]()
                var labels = [String: String]()
                var dropped = [String: [Double]]()
                for _ in 0..<runs {
                    for name in caches {
                        let subject = try SubjectFactory.make(name, capacity: capacity)
                        labels[name] = subject.name
                        for key in distinct { subject.set(key, key) }
                        results[name, default: []].append(measure(subject, keys: keys, mix: mix, threads: threads, seconds: seconds))
                        if let engine = subject as? EngineSubject {
                            // The share of lock-free hits whose record the policy never saw.
                            let reads = engine.cache.lockFreeReads
                            dropped[name, default: []].append(reads.hits == 0 ? 0 : Double(reads.dropped) / Double(reads.hits))
                        }
                    }
                }
                for name in caches {
                    let runResults = results[name] ?? []
                    let sorted = runResults.sorted()
                    var fields: [String: Any] = [
                        "cache": labels[name] ?? name, "mode": "throughput", "trace": trace.name, "mix": mix.rawValue,
                        "threads": threads, "capacity": capacity, "seconds": seconds, "ops_per_sec": sorted[sorted.count / 2],
                        "runs": runResults,
                    ]
                    if let shares = dropped[name] { fields["dropped_hit_records"] = shares.sorted()[shares.count / 2] }
                    emit(fields)
                }
            }
        }
    }

    static func measure(_ subject: any BenchSubject, keys: SharedKeys, mix: Mix, threads: Int, seconds: Double) -> Double {
        measureThreads(threads, seconds: seconds) { index, counter, stop in
            let start = index * keys.buffer.count / threads
            withSpecializedOps(subject, ReplayLoop(keys: keys.buffer, start: start, mix: mix, counter: counter, stop: stop))
        }
    }

    /// Runs `replay(thread index, its counter, the stop flag)` on `threads` threads and returns
    /// their operations per second over `seconds`, after a 1 s warm-up.
    static func measureThreads(_ threads: Int, seconds: Double,
                               _ replay: @escaping @Sendable (Int, PaddedCounter, StopFlag) -> Void) -> Double {
        let counters = (0..<threads).map { _ in PaddedCounter() }
        let stop = StopFlag()
        let finished = DispatchGroup()
        for index in 0..<threads {
            let counter = counters[index]
            finished.enter()
            let thread = Thread {
                replay(index, counter, stop)
                finished.leave()
            }
            thread.start()
        }
        Thread.sleep(forTimeInterval: 1.0)
        let before = counters.reduce(0) { $0 + $1.ops.load(ordering: .relaxed) }
        let startTime = now()
        Thread.sleep(forTimeInterval: seconds)
        let after = counters.reduce(0) { $0 + $1.ops.load(ordering: .relaxed) }
        let elapsed = now() - startTime
        stop.stopped.store(true, ordering: .relaxed)
        finished.wait()
        return Double(after - before) / elapsed
    }

}

/// One thread's replay: the trace from `start`, wrapping, until `stop`; publishes its operation
/// count every 1,024 operations.
struct ReplayLoop: OpsBody {
    let keys: UnsafeBufferPointer<UInt64>
    let start: Int
    let mix: Mix
    let counter: PaddedCounter
    let stop: StopFlag

    func run<C: KeyValueOps>(_ cache: C) {
        var position = start
        var ops = 0
        var sink: UInt64 = 0
        let count = keys.count
        while !stop.stopped.load(ordering: .relaxed) {
            for _ in 0..<1024 {
                let key = keys[position]
                position += 1
                if position == count { position = 0 }
                switch mix {
                case .read100: sink &+= cache.value(forKey: key) ?? 0
                case .read75:
                    if ops & 3 == 3 { cache.setValue(key, forKey: key) } else { sink &+= cache.value(forKey: key) ?? 0 }
                case .write100: cache.setValue(key, forKey: key)
                }
                ops += 1
            }
            counter.ops.store(ops, ordering: .relaxed)
        }
        if sink == 42 { print("") } // keep the reads
    }
}
