@_spi(Benchmark) import CacheEngine
import Foundation
import Synchronization

/// A cache as the benchmark drives it: UInt64 keys and values.
protocol BenchSubject: AnyObject, Sendable {
    /// The name in the JSON output (`cache` field).
    var name: String { get }
    func get(_ key: UInt64) -> UInt64?
    func set(_ key: UInt64, _ value: UInt64)
    /// The entry count, or nil when the cache cannot tell (NSCache).
    var count: Int? { get }
}

/// The engine under test.
final class EngineSubject: BenchSubject {
    let name: String
    let cache: Cache<UInt64, UInt64>

    init(capacity: Int, policy: EvictionPolicy = .windowTinyLFU, shards: Int? = nil) throws {
        name = policy == .windowTinyLFUHillClimber ? "engine-climber" : "engine"
        cache = try Cache(capacity: capacity, policy: policy, shardCount: shards)
    }

    /// The engine with a time to idle of an hour: every hit reads the clock and moves the
    /// entry's deadline (nothing expires within a run), the feature's cost on the hot path.
    init(capacity: Int, timeToIdle: Duration, shards: Int? = nil) throws {
        name = "engine-idle"
        cache = try Cache(capacity: capacity, shardCount: shards, timeToIdle: timeToIdle)
    }

    func get(_ key: UInt64) -> UInt64? { cache.value(forKey: key) }
    func set(_ key: UInt64, _ value: UInt64) { cache.setValue(value, forKey: key) }
    var count: Int? { cache.count }
}

/// Foundation's NSCache, bounded by `countLimit` (0: unbounded).
final class NSCacheSubject: BenchSubject, @unchecked Sendable {
    // @unchecked: NSCache is documented as thread-safe.
    let name = "nscache"
    let cache = NSCache<NSNumber, NSNumber>()

    init(capacity: Int) { cache.countLimit = capacity }

    func get(_ key: UInt64) -> UInt64? { cache.object(forKey: NSNumber(value: key))?.uint64Value }
    func set(_ key: UInt64, _ value: UInt64) { cache.setObject(NSNumber(value: value), forKey: NSNumber(value: key)) }
    var count: Int? { nil }
}

/// The floor cost of any locked map: an unbounded Dictionary behind one Mutex.
final class MutexDictSubject: BenchSubject {
    let name = "mutex-dict"
    let storage = Mutex<[UInt64: UInt64]>([:])

    func get(_ key: UInt64) -> UInt64? { storage.withLock { $0[key] } }
    func set(_ key: UInt64, _ value: UInt64) { storage.withLock { $0[key] = value } }
    var count: Int? { storage.withLock { $0.count } }
}

/// What a Swift user would write by hand: a Dictionary plus a doubly linked LRU list in arrays,
/// behind one Mutex.
final class MutexLRUSubject: BenchSubject {
    struct State {
        var index: [UInt64: Int32] = [:]
        var keys: [UInt64] = []
        var values: [UInt64] = []
        var previous: [Int32] = []
        var next: [Int32] = []
        var head: Int32 = -1
        var tail: Int32 = -1
        let capacity: Int

        mutating func unlink(_ node: Int32) {
            let p = previous[Int(node)], n = next[Int(node)]
            if p >= 0 { next[Int(p)] = n } else { head = n }
            if n >= 0 { previous[Int(n)] = p } else { tail = p }
        }

        mutating func pushFront(_ node: Int32) {
            previous[Int(node)] = -1
            next[Int(node)] = head
            if head >= 0 { previous[Int(head)] = node } else { tail = node }
            head = node
        }

        mutating func get(_ key: UInt64) -> UInt64? {
            guard let node = index[key] else { return nil }
            if head != node { unlink(node); pushFront(node) }
            return values[Int(node)]
        }

        mutating func set(_ key: UInt64, _ value: UInt64) {
            if let node = index[key] {
                values[Int(node)] = value
                if head != node { unlink(node); pushFront(node) }
                return
            }
            let node: Int32
            if index.count >= capacity {
                node = tail
                unlink(node)
                index[keys[Int(node)]] = nil
                keys[Int(node)] = key
                values[Int(node)] = value
            } else {
                node = Int32(keys.count)
                keys.append(key)
                values.append(value)
                previous.append(-1)
                next.append(-1)
            }
            index[key] = node
            pushFront(node)
        }
    }

    let name = "mutex-lru"
    let state: Mutex<State>

    init(capacity: Int) { state = Mutex(State(capacity: capacity)) }

    func get(_ key: UInt64) -> UInt64? { state.withLock { $0.get(key) } }
    func set(_ key: UInt64, _ value: UInt64) { state.withLock { $0.set(key, value) } }
    var count: Int? { state.withLock { $0.index.count } }
}

/// Builds the subjects a mode measures, by name.
enum SubjectFactory {
    static func make(_ name: String, capacity: Int, shards: Int? = nil) throws -> any BenchSubject {
        switch name {
        case "engine": return try EngineSubject(capacity: capacity, shards: shards)
        case "engine-climber": return try EngineSubject(capacity: capacity, policy: .windowTinyLFUHillClimber, shards: shards)
        case "engine-idle": return try EngineSubject(capacity: capacity, timeToIdle: .seconds(3_600), shards: shards)
        case "nscache": return NSCacheSubject(capacity: capacity)
        case "mutex-lru": return MutexLRUSubject(capacity: capacity)
        case "mutex-dict": return MutexDictSubject()
        default: throw BenchError.unknownCache(name)
        }
    }
}

enum BenchError: Error, CustomStringConvertible {
    case unknownCache(String)
    case unreadableTrace(String, String)
    case emptyTrace(String)
    case child(String)

    var description: String {
        switch self {
        case .unknownCache(let name): return "unknown cache '\(name)': use engine, engine-climber, engine-idle, nscache, mutex-lru or mutex-dict"
        case .unreadableTrace(let path, let reason): return "cannot read trace \(path): \(reason)"
        case .emptyTrace(let path): return "trace \(path) holds no keys (it must be raw little-endian UInt64 keys)"
        case .child(let reason): return "a measurement process failed: \(reason)"
        }
    }
}
