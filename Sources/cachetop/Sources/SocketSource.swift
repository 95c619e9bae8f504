import CacheControl
import CacheDashboard
import CacheEngine
import Synchronization

/// A host's cache over its control socket: one request per sample (`GET /v1/sample`), which
/// also tells who the host is (pid, uid, read-only, load injection), so a restarted host is
/// noticed on the next poll.
final class SocketSource: SnapshotSource {
    let client: ControlClient
    let cacheName: String?
    /// The profile of the load this dashboard started, to name it while it runs.
    private let startedProfile = Mutex<Workload.Profile?>(nil)

    init(path: String, cacheName: String?) {
        client = ControlClient(path: path, timeout: .seconds(3))
        self.cacheName = cacheName
    }

    func sample(hottest: Int?) async throws -> DashboardSample {
        do {
            let sample = try await client.sample(cache: cacheName, expiring: 8, hottest: hottest)
            let name = client.path + (sample.caches.count > 1 ? " [\(sample.cache)]" : "")
            let target = TargetInfo(name: name, cache: sample.cache, pid: sample.pid, uid: sample.uid, readOnly: sample.readOnly,
                                    loadInjection: sample.load.enabled)
            let expiring = sample.expiring.map {
                DashboardSample.ExpiringEntry(key: $0.key, timeLeftMilliseconds: $0.timeLeftMilliseconds ?? 0)
            }
            let hot = sample.hottest?.map {
                DashboardSample.HotEntry(key: $0.key, frequency: $0.frequency ?? 0, ageMilliseconds: $0.ageMilliseconds,
                                         timeLeftMilliseconds: $0.timeLeftMilliseconds)
            }
            let profile = sample.load.running ? startedProfile.withLock { $0?.rawValue } : nil
            return DashboardSample(time: wallClockSeconds(), target: target, snapshot: sample.snapshot, expiring: expiring,
                                   load: .init(running: sample.load.running, profile: profile,
                                               operations: sample.load.operationsPerformed),
                                   hottest: hot)
        } catch {
            // A new connection after any failure: the host may have restarted.
            await client.disconnect()
            throw error
        }
    }

    func perform(_ command: SourceCommand) async throws -> String {
        switch command {
        case .sweep:
            let result = try await client.sweep(cache: cacheName)
            return CommandOutcome.sweep(examined: result.examined, removed: result.removed, nanoseconds: result.durationNanoseconds)
        case .resize(let capacity):
            let change = try await client.resize(capacity: capacity, cache: cacheName)
            return CommandOutcome.resize(from: change.oldCapacity, to: change.newCapacity, evicted: change.evicted)
        case .startLoad(let profile):
            let capacity = try await client.snapshot(cache: cacheName).capacity
            let workload = Workload.profile(profile, keySpace: UInt64(max(1_000, capacity * 4)), rate: nil)
            let status = try await client.startLoad(workload, cache: cacheName)
            startedProfile.withLock { $0 = profile }
            return CommandOutcome.loadStarted(profile, rate: status.workload?.rate)
        case .stopLoad:
            _ = try await client.stopLoad(cache: cacheName)
            return "load injection stopped"
        case .lookUp(let text):
            let found = try await client.lookUp(key: text, cache: cacheName)
            return CommandOutcome.lookUp(text, found.entry)
        }
    }
}
