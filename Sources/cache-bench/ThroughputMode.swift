import CacheEngine
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

/// WORKLOAD.md throughput mode: capacity 2,000,000, prefilled with every distinct key; T
/// threads replay the trace from offsets i*len/T, for S seconds after a 1 s warm-up. Each
/// configuration runs `runs` times; the median is reported.
enum ThroughputMode {
    static func run(trace: Trace, mixes: [Mix], threadCounts: [Int], seconds: Double, runs: Int, caches: [String]) throws {
        let storage = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: trace.keys.count)
        _ = storage.initialize(from: trace.keys)
        defer { storage.deallocate() }
        let keys = SharedKeys(buffer: UnsafeBufferPointer(storage))
        let distinct = Array(Set(trace.keys))
        for mix in mixes {
            for threads in threadCounts {
                for name in caches {
                    var results: [Double] = []
                    var label = name
                    for _ in 0..<runs {
                        let subject = try SubjectFactory.make(name, capacity: 2_000_000)
                        label = subject.name
                        for key in distinct { subject.set(key, key) }
                        results.append(measure(subject, keys: keys, mix: mix, threads: threads, seconds: seconds))
                    }
                    let sorted = results.sorted()
                    emit([
                        "cache": label, "mode": "throughput", "trace": trace.name, "mix": mix.rawValue,
                        "threads": threads, "seconds": seconds, "ops_per_sec": sorted[sorted.count / 2],
                        "runs": results,
                    ])
                }
            }
        }
    }

    static func measure(_ subject: any BenchSubject, keys: SharedKeys, mix: Mix, threads: Int, seconds: Double) -> Double {
        let counters = (0..<threads).map { _ in PaddedCounter() }
        let stop = StopFlag()
        let finished = DispatchGroup()
        for index in 0..<threads {
            let start = index * keys.buffer.count / threads
            let counter = counters[index]
            finished.enter()
            let thread = Thread {
                replay(subject, keys: keys.buffer, start: start, mix: mix, counter: counter, stop: stop)
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

    static func replay(_ subject: any BenchSubject, keys: UnsafeBufferPointer<UInt64>, start: Int, mix: Mix,
                       counter: PaddedCounter, stop: StopFlag) {
        switch subject {
        case let s as EngineSubject: loop(s.cache, keys: keys, start: start, mix: mix, counter: counter, stop: stop)
        case let s as MutexDictSubject: loop(SubjectOps(s), keys: keys, start: start, mix: mix, counter: counter, stop: stop)
        case let s as MutexLRUSubject: loop(SubjectOps(s), keys: keys, start: start, mix: mix, counter: counter, stop: stop)
        case let s as NSCacheSubject: loop(SubjectOps(s), keys: keys, start: start, mix: mix, counter: counter, stop: stop)
        default: loop(AnySubjectOps(subject: subject), keys: keys, start: start, mix: mix, counter: counter, stop: stop)
        }
    }

    @inline(__always)
    static func loop<C: KeyValueOps>(_ cache: C, keys: UnsafeBufferPointer<UInt64>, start: Int, mix: Mix,
                                     counter: PaddedCounter, stop: StopFlag) {
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
                case .read100: sink &+= cache.get(key) ?? 0
                case .read75:
                    if ops & 3 == 3 { cache.set(key, key) } else { sink &+= cache.get(key) ?? 0 }
                case .write100: cache.set(key, key)
                }
                ops += 1
            }
            counter.ops.store(ops, ordering: .relaxed)
        }
        if sink == 42 { print("") } // keep the reads
    }
}

/// The two operations the replay loop needs, so that it is specialised per cache type.
protocol KeyValueOps {
    func get(_ key: UInt64) -> UInt64?
    func set(_ key: UInt64, _ value: UInt64)
}

extension Cache: KeyValueOps where Key == UInt64, Value == UInt64 {
    func set(_ key: UInt64, _ value: UInt64) { set(key, value, ttl: nil) }
}

struct SubjectOps<S: BenchSubject>: KeyValueOps {
    let subject: S
    init(_ subject: S) { self.subject = subject }
    @inline(__always) func get(_ key: UInt64) -> UInt64? { subject.get(key) }
    @inline(__always) func set(_ key: UInt64, _ value: UInt64) { subject.set(key, value) }
}

struct AnySubjectOps: KeyValueOps {
    let subject: any BenchSubject
    func get(_ key: UInt64) -> UInt64? { subject.get(key) }
    func set(_ key: UInt64, _ value: UInt64) { subject.set(key, value) }
}
