import Synchronization

/// One event of a source's paced sequence of samples.
public enum SampleEvent: Sendable {
    case sample(DashboardSample)
    /// The target could not be sampled; the next attempt comes at `retryAt` (Unix seconds).
    case failed(String, at: Double, retryAt: Double)
    /// A recording has no more samples.
    case ended(String)
}

/// What paces a source's samples, read at every step so that a change applies at once: the
/// dashboard's state (interval, replay speed, pause) and the steps asked for while paused.
public struct SamplePacing: Sendable {
    /// The refresh interval, in seconds.
    public var interval: @Sendable () -> Double
    /// The replay speed (1: as recorded).
    public var speed: @Sendable () -> Double
    public var isPaused: @Sendable () -> Bool
    /// Takes one pending replay step, if any was asked for.
    public var takeStep: @Sendable () -> Bool
    /// How many hottest keys the next sample should carry (nil: none this time).
    public var hotKeys: @Sendable () -> Int?
    /// How many entries nearest their deadline the screen has room for.
    public var expiring: @Sendable () -> Int
    /// Seconds since the Unix epoch.
    public var now: @Sendable () -> Double

    public init(interval: @escaping @Sendable () -> Double, speed: @escaping @Sendable () -> Double,
                isPaused: @escaping @Sendable () -> Bool, takeStep: @escaping @Sendable () -> Bool,
                hotKeys: @escaping @Sendable () -> Int?, expiring: @escaping @Sendable () -> Int,
                now: @escaping @Sendable () -> Double) {
        self.interval = interval
        self.speed = speed
        self.isPaused = isPaused
        self.takeStep = takeStep
        self.hotKeys = hotKeys
        self.expiring = expiring
        self.now = now
    }
}

/// A source polled on the dashboard's interval (the embedded engine, a control socket).
extension SnapshotSource {
    /// Samples every `interval` (measured from the start of each poll, so a slow poll is not
    /// added to the wait); after a failure, retries with backoff from 0.5 s doubling to 5 s.
    /// Each element is produced in the consumer's own task (`AsyncStream(unfolding:)`): no task
    /// of its own, and cancelling the consumer ends it.
    public func polledSamples(_ pacing: SamplePacing) -> AsyncStream<SampleEvent> {
        let schedule = PollSchedule()
        return AsyncStream(unfolding: {
            // Wait for the next poll in short slices, so an interval change applies at once.
            while !Task.isCancelled {
                let remaining = schedule.nextPoll(interval: pacing.interval()) - pacing.now()
                if remaining <= 0 { break }
                do { try await Task.sleep(for: .seconds(min(remaining, 0.25))) } catch { return nil }
            }
            guard !Task.isCancelled else { return nil }
            let started = pacing.now()
            do {
                let sample = try await sample(hottest: pacing.hotKeys(), expiring: pacing.expiring())
                schedule.succeeded(at: started)
                return .sample(sample)
            } catch is CancellationError {
                return nil
            } catch {
                let now = pacing.now()
                let retryAt = now + schedule.failed(at: now)
                return .failed("\(error)", at: now, retryAt: retryAt)
            }
        })
    }
}

/// When a polled source samples next: an interval after the last poll began, or after a
/// failure the backoff (0.5 s doubling to 5 s). Thread-safe.
final class PollSchedule: Sendable {
    private struct State {
        var lastStart: Double?
        var retryAt: Double?
        var backoff = 0.5
    }
    private let state = Mutex(State())

    /// The time of the next poll (Unix seconds); the past when one is due now.
    func nextPoll(interval: Double) -> Double {
        state.withLock { state in
            if let retryAt = state.retryAt { return retryAt }
            return state.lastStart.map { $0 + interval } ?? 0
        }
    }

    func succeeded(at start: Double) {
        state.withLock { $0 = State(lastStart: start, retryAt: nil, backoff: 0.5) }
    }

    /// Records a failure at `now`; returns how long until the retry.
    func failed(at now: Double) -> Double {
        state.withLock { state in
            let wait = state.backoff
            state.retryAt = now + wait
            state.backoff = min(5, state.backoff * 2)
            return wait
        }
    }
}
