import Foundation

/// A `Clock` that only moves when told to: for tests, replays and simulations, in this package
/// and in a host's own test suite. Pass it to `Cache(…, clock:)`; advance it with
/// ``advance(by:)``; TTLs, refreshes and the sweeper's period then follow without sleeping.
///
/// `sleep(until:tolerance:)` suspends until ``advance(by:)`` moves the clock to the sleeper's
/// deadline, or until the sleeping task is cancelled (it then throws `CancellationError`).
/// All members are thread-safe (one lock, a pthread mutex the thread sanitizer sees).
public final class ManualClock: Clock, @unchecked Sendable {
    /// A point on a manual clock: the time elapsed since the clock's zero.
    public struct Instant: InstantProtocol, Hashable, Sendable {
        /// The time since the clock's zero.
        public var offset: Duration

        public init(offset: Duration) {
            self.offset = offset
        }

        public func advanced(by duration: Duration) -> Instant {
            Instant(offset: offset + duration)
        }

        public func duration(to other: Instant) -> Duration {
            other.offset - offset
        }

        public static func < (lhs: Instant, rhs: Instant) -> Bool {
            lhs.offset < rhs.offset
        }
    }

    private struct Sleeper {
        let deadline: Instant
        let continuation: CheckedContinuation<Void, any Error>
    }

    private let lock = NSLock()
    private var current: Instant
    private var nextSleeperID: UInt64 = 0
    private var sleepers: [UInt64: Sleeper] = [:]

    /// Creates a clock reading `start`.
    public init(startingAt start: Instant = Instant(offset: .zero)) {
        current = start
    }

    /// The current reading. Never decreases.
    public var now: Instant {
        lock.withLock { current }
    }

    /// One nanosecond.
    public var minimumResolution: Duration { .nanoseconds(1) }

    /// The number of tasks currently suspended in a sleep.
    public var sleeperCount: Int {
        lock.withLock { sleepers.count }
    }

    /// Moves the clock forward by `duration` (a negative duration is ignored) and wakes every
    /// sleeper whose deadline has been reached.
    public func advance(by duration: Duration) {
        let due: [CheckedContinuation<Void, any Error>] = lock.withLock {
            if duration > .zero { current = current.advanced(by: duration) }
            let now = current
            let dueIDs = sleepers.filter { $0.value.deadline <= now }.map(\.key)
            return dueIDs.compactMap { sleepers.removeValue(forKey: $0)?.continuation }
        }
        for continuation in due { continuation.resume() }
    }

    /// Suspends until `count` tasks are sleeping on this clock, letting other tasks run.
    /// Bounded: gives up after `maxYields` scheduler turns; returns whether the count was reached.
    @discardableResult
    public func waitForSleepers(_ count: Int, maxYields: Int = 1_000_000) async -> Bool {
        for _ in 0..<maxYields {
            if sleeperCount >= count { return true }
            await Task.yield()
        }
        return sleeperCount >= count
    }

    /// Suspends until the clock reaches `deadline`; returns at once if it already has.
    /// - Throws: `CancellationError` when the calling task is cancelled while it waits.
    public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        let id = lock.withLock { () -> UInt64 in
            nextSleeperID &+= 1
            return nextSleeperID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome: Result<Void, any Error>? = lock.withLock {
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if deadline <= current { return .success(()) }
                    sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            let continuation = lock.withLock { sleepers.removeValue(forKey: id)?.continuation }
            continuation?.resume(throwing: CancellationError())
        }
    }
}
