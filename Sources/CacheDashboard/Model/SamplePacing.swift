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
    /// Ends when the consuming task is cancelled.
    public func polledSamples(_ pacing: SamplePacing) -> AsyncStream<SampleEvent> {
        AsyncStream { continuation in
            let task = Task {
                var backoff = 0.5
                while !Task.isCancelled {
                    let started = pacing.now()
                    do {
                        continuation.yield(.sample(try await sample(hottest: pacing.hotKeys(), expiring: pacing.expiring())))
                        backoff = 0.5
                    } catch is CancellationError {
                        break
                    } catch {
                        let now = pacing.now()
                        continuation.yield(.failed("\(error)", at: now, retryAt: now + backoff))
                        do { try await Task.sleep(for: .seconds(backoff)) } catch { break }
                        backoff = min(5, backoff * 2)
                        continue
                    }
                    // Sleep in short slices so an interval change applies at once.
                    while !Task.isCancelled {
                        let remaining = started + pacing.interval() - pacing.now()
                        if remaining <= 0 { break }
                        do { try await Task.sleep(for: .seconds(min(remaining, 0.25))) } catch { break }
                    }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
