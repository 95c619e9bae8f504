import CacheEngine
import Foundation
import Synchronization

/// A small value of the kind services cache per user: an id, a counter and a tier.
struct UserRecord: Sendable, Hashable {
    var id: UInt64
    var visits: UInt32
    var tier: UInt16
}

/// Throughput with String keys, as most services key their caches: the WORKLOAD.md throughput
/// mode on the same trace, each distinct trace key renamed `user:<rank>` (the rank of its first
/// appearance, so keys look like `user:123456`) and each value a `UserRecord`. The engine
/// (whose String keys are read under the shard lock) against `Mutex<[String: UserRecord]>`.
enum StringThroughputMode {
    static let caches = ["engine", "mutex-dict"]

    static func run(trace: Trace, mixes: [Mix], threadCounts: [Int], seconds: Double, runs: Int, caches requested: [String], capacity requestedCapacity: Int?) throws {
        var rankOf: [UInt64: Int32] = [:]
        rankOf.reserveCapacity(1 << 20)
        let ranks = UnsafeMutableBufferPointer<Int32>.allocate(capacity: trace.keys.count)
        defer { ranks.deallocate() }
        for (index, key) in trace.keys.enumerated() {
            if let rank = rankOf[key] {
                ranks[index] = rank
            } else {
                let rank = Int32(rankOf.count)
                rankOf[key] = rank
                ranks[index] = rank
            }
        }
        let names = (0..<rankOf.count).map { "user:\($0)" }
        let shared = SharedRanks(ranks: UnsafeBufferPointer(ranks), names: names)
        let capacity = requestedCapacity ?? names.count
        let caches = requested.filter(Self.caches.contains)
        for mix in mixes {
            for threads in threadCounts {
                var results = [String: [Double]]()
                for _ in 0..<runs {
                    for name in caches {
                        let ops: Double
                        if name == "engine" {
                            let cache = try Cache<String, UserRecord>(capacity: capacity)
                            for (rank, key) in names.enumerated() { cache.setValue(record(rank), forKey: key) }
                            ops = measure(cache, shared, mix: mix, threads: threads, seconds: seconds)
                        } else {
                            let dictionary = MutexStringDictionary()
                            for (rank, key) in names.enumerated() { dictionary.setValue(record(rank), forKey: key) }
                            ops = measure(dictionary, shared, mix: mix, threads: threads, seconds: seconds)
                        }
                        results[name, default: []].append(ops)
                    }
                }
                for name in caches {
                    let runResults = results[name] ?? []
                    emit([
                        "cache": name, "mode": "throughput", "keys": "string", "trace": trace.name, "mix": mix.rawValue,
                        "threads": threads, "capacity": capacity, "seconds": seconds,
                        "ops_per_sec": runResults.sorted()[runResults.count / 2], "runs": runResults,
                    ])
                }
            }
        }
    }

    static func record(_ rank: Int) -> UserRecord {
        UserRecord(id: UInt64(rank), visits: UInt32(truncatingIfNeeded: rank &* 7), tier: UInt16(rank % 4))
    }

    static func measure<C: StringKeyedOps>(_ cache: C, _ shared: SharedRanks, mix: Mix, threads: Int, seconds: Double) -> Double {
        ThroughputMode.measureThreads(threads, seconds: seconds) { index, counter, stop in
            let ranks = shared.ranks, names = shared.names
            var position = index * ranks.count / threads
            var ops = 0
            var sink: UInt64 = 0
            while !stop.stopped.load(ordering: .relaxed) {
                for _ in 0..<1024 {
                    let rank = Int(ranks[position])
                    position += 1
                    if position == ranks.count { position = 0 }
                    let key = names[rank]
                    switch mix {
                    case .read100: sink &+= cache.value(forKey: key)?.id ?? 0
                    case .read75:
                        if ops & 3 == 3 { cache.setValue(record(rank), forKey: key) } else { sink &+= cache.value(forKey: key)?.id ?? 0 }
                    case .write100: cache.setValue(record(rank), forKey: key)
                    }
                    ops += 1
                }
                counter.ops.store(ops, ordering: .relaxed)
            }
            if sink == 42 { print("") } // keep the reads
        }
    }
}

/// The trace as ranks into the distinct key names, shared read-only by the replay threads.
struct SharedRanks: @unchecked Sendable {
    let ranks: UnsafeBufferPointer<Int32>
    let names: [String]
}

/// The two operations the String-key loop needs, so that it is specialised per cache type.
protocol StringKeyedOps: Sendable {
    func value(forKey key: String) -> UserRecord?
    func setValue(_ value: UserRecord, forKey key: String)
}

extension Cache: StringKeyedOps where Key == String, Value == UserRecord {
    func setValue(_ value: UserRecord, forKey key: String) { setValue(value, forKey: key, ttl: nil) }
}

/// The floor cost of any locked String-keyed map: a Dictionary behind one Mutex.
final class MutexStringDictionary: StringKeyedOps {
    let storage = Mutex<[String: UserRecord]>([:])

    func value(forKey key: String) -> UserRecord? { storage.withLock { $0[key] } }
    func setValue(_ value: UserRecord, forKey key: String) { storage.withLock { $0[key] = value } }
}
