import CacheControl
import CacheEngine
import Foundation
import Logging

/// `GET /v1/snapshot` through the control socket, from the client, against the in-process
/// `snapshot()` of the same cache in the same run (the floor the socket adds to).
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
        running.cancel()
        try await running.value
        let directP99 = percentile(direct, 0.99)
        emit(["cache": "engine", "mode": "control", "path": "in-process snapshot()", "entries": entries, "requests": requests,
              "p50_us": percentile(direct, 0.5), "p99_us": directP99, "max_us": direct.max() ?? 0])
        emit(["cache": "engine", "mode": "control", "path": "GET /v1/snapshot via ControlClient", "entries": entries,
              "requests": requests, "p50_us": percentile(overSocket, 0.5), "p99_us": percentile(overSocket, 0.99),
              "max_us": overSocket.max() ?? 0, "p99_vs_in_process": percentile(overSocket, 0.99) / max(directP99, 1e-9)])
    }

    private static func percentile(_ values: [Double], _ fraction: Double) -> Double {
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
    }
}
