import CacheControl
import CacheEngine
import CacheWorkload
import ServiceLifecycle

/// The demo's embedded service: a cache, a realistic workload against it, a slow simulated
/// backend behind the loader, and the scenario's script; beside it a smaller session cache with
/// traffic of its own, as a service holds several caches. Everything the dashboard shows of the
/// demo comes from these engines; nothing is faked.
///
/// ``run()`` runs the scenario script (the stuck-backend stalls) until cancelled; the caches'
/// own `run()` and the control server are separate services in the same group.
final class DemoHost: Service, Sendable {
    static let capacity = 100_000
    static let keySpace: UInt64 = 400_000
    static let baseRate = 10_000
    static let injectedRate = 20_000

    let scenario: DemoScenario
    let cache: Cache<UInt64, UInt64>
    let backend: SimulatedBackend
    /// Runs the scenario's base traffic.
    let traffic: WorkloadGenerator<UInt64, UInt64>
    /// Runs load injected from the dashboard or the control socket.
    let injection: LoadInjection<UInt64, UInt64>
    /// The second cache: sessions by token, half an hour each.
    let sessions: Cache<String, String>
    let sessionTraffic: WorkloadGenerator<String, String>

    init(scenario: DemoScenario) throws {
        self.scenario = scenario
        cache = try Cache<UInt64, UInt64>(capacity: Self.capacity, sweepInterval: .seconds(1))
        backend = SimulatedBackend(latency: .milliseconds(20))
        let backend = self.backend
        traffic = WorkloadGenerator(cache: cache, makeKey: { $0 }, makeValue: { $0 }, backend: { try await backend.load($0) })
        injection = LoadInjection(
            generator: WorkloadGenerator(cache: cache, makeKey: { $0 }, makeValue: { $0 }, backend: { try await backend.load($0) }),
            maximumRate: 200_000, maximumDuration: .seconds(3600), maximumWorkers: 4)
        sessions = try Cache<String, String>(capacity: 20_000, defaultTTL: .seconds(1_800))
        sessionTraffic = WorkloadGenerator(cache: sessions, makeKey: { "session:\($0)" }, makeValue: { "user:\($0 % 100_000)" })
    }

    /// The caches as the control socket (and the embedded dashboard) see them: the main one,
    /// with load injection, then the sessions.
    var controlTargets: [ControlTarget] {
        [controlTarget, ControlTarget(name: "sessions", cache: sessions)]
    }

    /// The session cache's traffic: Zipf reads over 50,000 tokens, a fifth of them writes.
    static let sessionWorkload = Workload(distribution: .zipf(skew: 0.8), keySpace: 50_000, readFraction: 0.8,
                                          ttlMix: [Workload.TTLShare(weight: 1, ttl: .seconds(1_800))], rate: 2_000)

    /// The control-socket view of the demo cache, load injection allowed.
    var controlTarget: ControlTarget {
        ControlTarget(name: "demo", cache: cache, describeKey: Self.describe, parseKey: Self.parse, loadInjection: injection)
    }

    /// How the demo shows a key: "user:42".
    @Sendable static func describe(_ key: UInt64) -> String { "user:\(key)" }

    /// The key an operator typed: "user:42", or just "42".
    @Sendable static func parse(_ text: String) -> UInt64? {
        UInt64(text.hasPrefix("user:") ? String(text.dropFirst(5)) : text)
    }

    /// The base workload of the scenario.
    var baseWorkload: Workload {
        var workload = Workload.profile(scenario.profile, keySpace: Self.keySpace, rate: Self.baseRate, workers: 4)
        if scenario.profile != .writeStorm { workload.backendLatency = .milliseconds(20) }
        return workload
    }

    /// The workload the `l` key (or `POST /v1/load`) starts for `profile`.
    static func injectedWorkload(_ profile: Workload.Profile) -> Workload {
        var workload = Workload.profile(profile, keySpace: keySpace, rate: injectedRate, workers: 2)
        workload.duration = .seconds(3600)
        return workload
    }

    /// Starts the base traffic, runs the scenario's script until cancelled or shut down, then
    /// stops every workload it started.
    func run() async throws {
        try traffic.start(baseWorkload)
        try sessionTraffic.start(Self.sessionWorkload)
        try? await cancelWhenGracefulShutdown { try await self.script() }
        await traffic.stop()
        await sessionTraffic.stop()
        await injection.generator.stop()
    }

    /// The stuck-backend stalls; for the other scenarios, nothing but waiting.
    private func script() async throws {
        let cycle = DemoScenario.stuckBackendCycle
        let clock = ContinuousClock()
        while true {
            guard scenario == .stuckBackend else {
                try await clock.sleep(for: .seconds(86_400))
                continue
            }
            try await clock.sleep(for: cycle.answering)
            backend.stall(for: cycle.stalled)
            try await clock.sleep(for: cycle.stalled)
        }
    }
}
