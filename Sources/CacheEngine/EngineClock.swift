/// The engine's view of the clock a host gives it: monotonic nanoseconds since the cache was
/// created (plus one second, so that no reading is 0 or negative), and sleeping.
///
/// A cache takes any standard `Clock` whose duration is `Duration` (`ContinuousClock` by
/// default; tests pass `CacheEngineTesting.ManualClock`). Inside, TTL deadlines, the expiry wheel
/// and load latencies are plain `Int64` nanoseconds: cheap to store in every slot and to compare.
/// This type turns the one into the other. Readings go through a closure that captures the
/// host's clock with its concrete type, so a reading costs one indirect call and the clock's own
/// `now` (a vDSO call for `ContinuousClock`); it is taken only for entries that carry a TTL and
/// for loads, sweeps and snapshots.
///
/// Thread-safe: the closures are `@Sendable` and the clocks they wrap are `Sendable`.
@usableFromInline
package struct EngineClock: Sendable {
    /// The reading of the host's clock when this view was made, as the engine's origin.
    static let origin: Int64 = 1_000_000_000

    @usableFromInline let read: @Sendable () -> Int64
    @usableFromInline let sleeper: @Sendable (Duration) async throws -> Void

    init<C: Clock>(_ clock: C) where C.Duration == Duration {
        let start = clock.now
        read = { Self.origin &+ start.duration(to: clock.now).nanosecondsClamped }
        sleeper = { duration in try await clock.sleep(for: duration) }
    }

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
