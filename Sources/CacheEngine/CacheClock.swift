#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The source of time for everything time-dependent in the engine: TTL deadlines, the expiry
/// wheel, the sweeper's period, workload pacing and load latency.
///
/// Time is a monotonic count of nanoseconds from an arbitrary origin. Injecting a clock lets
/// tests drive expiry and background loops deterministically, without sleeping.
///
/// Conforming types must be safe to call from any thread; ``nanoseconds()`` is called on the
/// hot path (only for entries that carry a TTL), so it should cost no more than a vDSO call.
public protocol CacheClock: Sendable {
    /// Monotonic nanoseconds since an arbitrary, fixed origin. Never decreases.
    func nanoseconds() -> Int64

    /// Suspends the caller for `duration` of this clock's time.
    /// - Throws: `CancellationError` when the calling task is cancelled while it waits.
    func sleep(for duration: Duration) async throws
}

/// The production clock: `CLOCK_MONOTONIC`, and `Task.sleep` for waiting.
public struct SystemClock: CacheClock {
    public init() {}

    public func nanoseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) &* 1_000_000_000 &+ Int64(now.tv_nsec)
    }

    public func sleep(for duration: Duration) async throws {
        try await Task.sleep(for: duration)
    }
}

/// A clock that only moves when told to: for tests, replays and simulations.
///
/// `sleep(for:)` suspends until ``advance(by:)`` moves the clock past the sleeper's deadline,
/// or until the sleeping task is cancelled. All methods are thread-safe.
public final class ManualClock: CacheClock {
    private struct Sleeper {
        let deadline: Int64
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Int64
        var nextSleeperID: UInt64 = 0
        var sleepers: [UInt64: Sleeper] = [:]
    }

    private let state: EngineMutex<State>

    /// Creates a clock reading `start` nanoseconds.
    public init(startingAt start: Int64 = 1_000_000_000) {
        state = EngineMutex(State(now: start))
    }

    public func nanoseconds() -> Int64 {
        state.withLock { $0.now }
    }

    /// The number of tasks currently suspended in ``sleep(for:)``.
    public var sleeperCount: Int {
        state.withLock { $0.sleepers.count }
    }

    /// Moves the clock forward and wakes every sleeper whose deadline has been reached.
    public func advance(by duration: Duration) {
        let due: [CheckedContinuation<Void, any Error>] = state.withLock { state in
            state.now &+= duration.nanosecondsClamped
            let now = state.now
            let dueIDs = state.sleepers.filter { $0.value.deadline <= now }.map(\.key)
            return dueIDs.compactMap { state.sleepers.removeValue(forKey: $0)?.continuation }
        }
        for continuation in due { continuation.resume() }
    }

    /// Suspends until the yield-driven scheduler has let `count` tasks reach ``sleep(for:)``.
    /// Bounded: gives up after `maxYields` scheduler turns and returns whether the count was reached.
    @discardableResult
    public func waitForSleepers(_ count: Int, maxYields: Int = 1_000_000) async -> Bool {
        for _ in 0..<maxYields {
            if sleeperCount >= count { return true }
            await Task.yield()
        }
        return sleeperCount >= count
    }

    public func sleep(for duration: Duration) async throws {
        let id = state.withLock { state -> UInt64 in
            state.nextSleeperID &+= 1
            return state.nextSleeperID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome: Result<Void, any Error>? = state.withLock { state in
                    if Task.isCancelled { return .failure(CancellationError()) }
                    let deadline = state.now &+ duration.nanosecondsClamped
                    if deadline <= state.now { return .success(()) }
                    state.sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            let continuation = state.withLock { $0.sleepers.removeValue(forKey: id)?.continuation }
            continuation?.resume(throwing: CancellationError())
        }
    }
}

extension Duration {
    /// Whole nanoseconds, clamped to `Int64`'s range; negative durations stay negative.
    @inlinable
    public var nanosecondsClamped: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? Int64.min : Int64.max }
        let (total, overflow2) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
        if overflow2 { return seconds < 0 ? Int64.min : Int64.max }
        return total
    }
}
