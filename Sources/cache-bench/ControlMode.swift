import CacheControl
import CacheEngine
import Foundation
import Logging

/// `GET /v1/snapshot` through the control socket, from the client, against the in-process
/// `snapshot()` of the same cache in the same run (the floor the socket adds to); then the cost
/// of one dashboard sample: `GET /v1/sample` (one request, with the next entries to expire) and,
/// every fifth, the hottest keys too.
enum ControlMode {
    static func run(entries: Int, requests: Int) async throws {
        let cache = try SnapshotMode.filledCache(entries: entries)
        let path = "/tmp/cache-bench-\(getpid()).sock"
        var logger = Logger(label: "cache-bench")
        logger.logLevel = .error
        let server = try ControlServer(configuration: .init(socketPath: path), targets: [ControlTarget(cache: cache)], logger: logger)
        let running = Task { try await server.run() }
        try await server.waitUntilListening()
        let client = ControlClient(path: path)
        _ = try await client.snapshot()

        var direct: [Double] = []
        var overSocket: [Double] = []
        direct.reserveCapacity(requests)
        overSocket.reserveCapacity(requests)
        for _ in 0..<requests {
            let started = now()
            let snapshot = cache.snapshot()
            direct.append((now() - started) * 1e6)
            precondition(snapshot.count == entries)
        }
        for _ in 0..<requests {
            let started = now()
            let snapshot = try await client.snapshot()
            overSocket.append((now() - started) * 1e6)
            precondition(snapshot.count == entries)
        }
        var samples: [Double] = []
        var samplesWithHotKeys: [Double] = []
        for index in 0..<requests {
            let started = now()
            let sample = try await client.sample(expiring: 8, hottest: index % 5 == 0 ? 12 : nil)
            let elapsed = (now() - started) * 1e6
            if index % 5 == 0 { samplesWithHotKeys.append(elapsed) } else { samples.append(elapsed) }
            precondition(sample.snapshot.count == entries)
        }
        running.cancel()
        try await running.value
        let directP99 = percentile(direct, 0.99)
        emit(["cache": "engine", "mode": "control", "path": "in-process snapshot()", "entries": entries, "requests": requests,
              "p50_us": percentile(direct, 0.5), "p99_us": directP99, "max_us": direct.max() ?? 0])
        emit(["cache": "engine", "mode": "control", "path": "GET /v1/snapshot via ControlClient", "entries": entries,
              "requests": requests, "p50_us": percentile(overSocket, 0.5), "p99_us": percentile(overSocket, 0.99),
              "max_us": overSocket.max() ?? 0, "p99_vs_in_process": percentile(overSocket, 0.99) / max(directP99, 1e-9)])
        emit(["cache": "engine", "mode": "control", "path": "dashboard sample: GET /v1/sample (1 request)", "entries": entries,
              "requests": samples.count, "p50_us": percentile(samples, 0.5), "p99_us": percentile(samples, 0.99),
              "max_us": samples.max() ?? 0])
        emit(["cache": "engine", "mode": "control", "path": "dashboard sample with the hottest 12 keys (every fifth)",
              "entries": entries, "requests": samplesWithHotKeys.count, "p50_us": percentile(samplesWithHotKeys, 0.5),
              "p99_us": percentile(samplesWithHotKeys, 0.99), "max_us": samplesWithHotKeys.max() ?? 0])
    }

    private static func percentile(_ values: [Double], _ fraction: Double) -> Double {
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
    }
}
