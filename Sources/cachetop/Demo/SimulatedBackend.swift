import CacheEngine
import Synchronization

/// The demo's slow origin behind the single-flight loader: answers after a fixed latency on the
/// host's clock, and can be stalled so that loads, waiters and loader tasks pile up.
final class SimulatedBackend: Sendable {
    private let clock = ContinuousClock()
    private let origin: ContinuousClock.Instant
    private let latency: Duration
    /// Nanoseconds after `origin` until which the backend does not answer; 0 when answering.
    private let stalledUntil = Atomic<Int64>(0)

    init(latency: Duration) {
        self.latency = latency
        origin = clock.now
    }

    private func nanoseconds() -> Int64 { origin.duration(to: clock.now).nanosecondsClamped }

    /// Whether the backend is stalled now.
    var isStalled: Bool { stalledUntil.load(ordering: .relaxed) > nanoseconds() }

    /// Stops answering for `duration`; loads started meanwhile wait until it ends.
    func stall(for duration: Duration) {
        stalledUntil.store(nanoseconds() &+ duration.nanosecondsClamped, ordering: .relaxed)
    }

    /// The value for key index `index`, after the latency and any stall.
    func load(_ index: UInt64) async throws -> UInt64 {
        try await clock.sleep(for: latency)
        while true {
            let wait = stalledUntil.load(ordering: .relaxed) &- nanoseconds()
            if wait <= 0 { break }
            try await clock.sleep(for: .nanoseconds(wait))
        }
        return index &* 0x9E37_79B9_7F4A_7C15
    }
}
