#if canImport(Glibc)
import Glibc
#endif

/// The engine's view of the clock a host gives it: monotonic nanoseconds since the cache was
/// created (plus one second, so that no reading is 0 or negative), and sleeping.
///
/// A cache takes any standard `Clock` whose duration is `Duration` (`ContinuousClock` by
/// default; tests pass `CacheEngineTesting.ManualClock`). Inside, TTL deadlines, the expiry wheel
/// and load latencies are plain `Int64` nanoseconds: cheap to store in every slot and to compare.
/// This type turns the one into the other. Readings go through a closure that captures the
/// host's clock with its concrete type, so a reading costs one indirect call and the clock's own
/// `now`. For the standard library's two clocks on Linux the closure reads the kernel clock
/// behind them directly (`CLOCK_BOOTTIME` for `ContinuousClock`, `CLOCK_MONOTONIC` for
/// `SuspendingClock`, as the standard library does): the same readings, without turning an
/// `Instant` difference into nanoseconds, which divides a 128-bit count of attoseconds and
/// would cost more than the cache's own hit. The clock is read only for entries that carry a
/// deadline, in caches with a time to idle, and for loads, sweeps and snapshots.
///
/// Thread-safe: the closures are `@Sendable` and the clocks they wrap are `Sendable`.
@usableFromInline
package struct EngineClock: Sendable {
    /// The reading of the host's clock when this view was made, as the engine's origin.
    static let origin: Int64 = 1_000_000_000

    @usableFromInline let read: @Sendable () -> Int64
    @usableFromInline let sleeper: @Sendable (Duration) async throws -> Void

    init<C: Clock>(_ clock: C) where C.Duration == Duration {
        sleeper = { duration in try await clock.sleep(for: duration) }
        #if os(Linux)
        if C.self == ContinuousClock.self {
            read = Self.kernelReader(CLOCK_BOOTTIME)
            return
        }
        if C.self == SuspendingClock.self {
            read = Self.kernelReader(CLOCK_MONOTONIC)
            return
        }
        #endif
        let start = clock.now
        read = { Self.origin &+ start.duration(to: clock.now).nanosecondsClamped }
    }

    #if os(Linux)
    /// Readings of kernel clock `id`, relative to now.
    static func kernelReader(_ id: clockid_t) -> @Sendable () -> Int64 {
        let start = kernelNanoseconds(id)
        return { origin &+ (kernelNanoseconds(id) &- start) }
    }

    static func kernelNanoseconds(_ id: clockid_t) -> Int64 {
        var time = timespec()
        clock_gettime(id, &time)
        return Int64(time.tv_sec) &* 1_000_000_000 &+ Int64(time.tv_nsec)
    }
    #endif

    /// Monotonic nanoseconds (never decreasing if the host's clock never goes back).
    @inlinable
    package func nanoseconds() -> Int64 { read() }

    /// Suspends for `duration` of the host clock's time.
    /// - Throws: `CancellationError` when the calling task is cancelled while it waits.
    @inlinable
    package func sleep(for duration: Duration) async throws { try await sleeper(duration) }
}

extension Duration {
    /// Whole nanoseconds, clamped to `Int64`'s range; negative durations stay negative.
    @inlinable
    package var nanosecondsClamped: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? Int64.min : Int64.max }
        let (total, overflow2) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
        if overflow2 { return seconds < 0 ? Int64.min : Int64.max }
        return total
    }
}
