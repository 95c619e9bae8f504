import Logging
import ServiceLifecycle
import Synchronization

/// Measures staleness instead of claiming it: a small fraction of the values a host serves from
/// its cache are read again from the source of truth, in the background, and compared. Given
/// to the namespace's ``BusNamespace``, its counts (sampled, stale) are published with the bus
/// status, so the stale-read ratio is on the snapshot, `/metrics` and the dashboard.
///
/// A sample is judged by the host's `isStale(served, current)`: with a per-row version, "the
/// source holds a newer version than the one served" (a write that lands between the serve and
/// the re-read is then counted as stale, an upper bound on the true ratio).
///
/// `observe` is cheap and never waits: one random draw, and a sample is dropped rather than
/// queued when ``bufferSize`` samples are already waiting. The re-reads run in ``run()``, one
/// at a time, and end when it is cancelled.
public final class StaleReadSampler<Key: Sendable, Value: Sendable>: Service, Sendable {
    public let rate: Double
    public let bufferSize: Int
    let counts = Mutex((sampled: 0, stale: 0))
    let reread: @Sendable (Key) async throws -> Value?
    let isStale: @Sendable (Value, Value?) -> Bool
    let samples: AsyncStream<(Key, Value)>
    let sink: AsyncStream<(Key, Value)>.Continuation
    let logger: Logger

    /// - Parameters:
    ///   - rate: the fraction of observed reads re-read, 0...1.
    ///   - reread: reads the key's current value from the source of truth (nil: it is gone).
    ///   - isStale: whether the served value is stale given the current one.
    public init(rate: Double, bufferSize: Int = 64, logger: Logger,
                reread: @escaping @Sendable (Key) async throws -> Value?,
                isStale: @escaping @Sendable (_ served: Value, _ current: Value?) -> Bool) {
        precondition((0...1).contains(rate), "a sampling rate is a fraction")
        self.rate = rate
        self.bufferSize = bufferSize
        self.reread = reread
        self.isStale = isStale
        self.logger = logger
        (samples, sink) = AsyncStream<(Key, Value)>.makeStream(bufferingPolicy: .bufferingNewest(bufferSize))
    }

    /// Offers one served read for sampling. O(1), never blocks.
    public func observe(_ key: Key, served value: Value) {
        guard rate > 0, rate >= 1 || Double.random(in: 0..<1) < rate else { return }
        sink.yield((key, value))
    }

    /// Samples re-read so far, and how many of them were stale.
    public var results: (sampled: Int, stale: Int) { counts.withLock { $0 } }

    /// Re-reads the samples until cancelled or shut down gracefully.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            for await (key, served) in self.samples {
                do {
                    let current = try await self.reread(key)
                    let stale = self.isStale(served, current)
                    self.counts.withLock { counts in
                        counts.sampled += 1
                        if stale { counts.stale += 1 }
                    }
                } catch {
                    self.logger.debug("stale-read sample not re-read", metadata: ["error": "\(error)"])
                }
            }
        }
        sink.finish()
    }
}
