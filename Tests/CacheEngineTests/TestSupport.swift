@testable import CacheEngine
import CacheEngineTesting
import Synchronization
import Testing

/// Records removal-listener calls.
final class RemovalLog<Key: Sendable & Hashable, Value: Sendable>: Sendable {
    private let entries = Mutex<[(Key, Value?, RemovalCause)]>([])

    var listener: @Sendable (Key, Value?, RemovalCause) -> Void {
        { key, value, cause in self.entries.withLock { $0.append((key, value, cause)) } }
    }

    var all: [(Key, Value?, RemovalCause)] { entries.withLock { $0 } }

    func count(_ cause: RemovalCause) -> Int { entries.withLock { $0.filter { $0.2 == cause }.count } }

    func drain() -> [(Key, Value?, RemovalCause)] {
        entries.withLock { entries in
            defer { entries = [] }
            return entries
        }
    }
}

/// A deterministic generator for reproducible random tests: the engine's SplitMix64.
typealias SeededGenerator = SplitMix64

func expectConsistent<K, V>(_ cache: Cache<K, V>, sourceLocation: SourceLocation = #_sourceLocation) {
    let problems = cache.invariantViolations()
    #expect(problems.isEmpty, "\(problems.prefix(5))", sourceLocation: sourceLocation)
}

/// A one-shot gate a test opens to let suspended work continue.
final class Gate: Sendable {
    // The engine's lock alias, so that sanitizer builds see this lock too (see EngineMutex.swift).
    private let state = EngineMutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func wait() async {
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state -> Bool in
                if state.open { return true }
                state.waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    func open() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}

/// Yields until `condition` holds or the bound is reached; returns whether it held.
func eventually(maxYields: Int = 2_000_000, _ condition: () -> Bool) async -> Bool {
    for _ in 0..<maxYields {
        if condition() { return true }
        await Task.yield()
    }
    return condition()
}

/// A shareable atomic counter for closures that escape.
final class Counter: Sendable {
    private let storage = Atomic<Int>(0)
    func increment() { storage.add(1, ordering: .relaxed) }
    func raise(to value: Int) { storage.max(value, ordering: .relaxed) }
    func store(_ value: Int) { storage.store(value, ordering: .relaxed) }
    var value: Int { storage.load(ordering: .relaxed) }
}

/// An integer key whose hash is the same in every process (SplitMix64 of the value), for tests
/// that assert a margin between policies: the standard library seeds `hashValue` per process,
/// and with it every shard choice, sketch counter and collision.
struct FixedHashKey: Hashable, Sendable {
    let value: Int

    init(_ value: Int) { self.value = value }

    var hashValue: Int {
        Int(truncatingIfNeeded: SplitMix64.mix(UInt64(bitPattern: Int64(value))))
    }

    func hash(into hasher: inout Hasher) { hasher.combine(value) }
}

extension ManualClock {
    /// The reading in nanoseconds since the clock's zero, for models that keep deadlines as
    /// numbers.
    func nanoseconds() -> Int64 { now.offset.nanosecondsClamped }
}
