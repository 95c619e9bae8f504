import AsyncHTTPClient
import CatalogService
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import PostgresNIO
import Testing

/// Several `catalog-service` processes against the one database, as a fleet runs: each with
/// its own cache, invalidation bus and registry heartbeat. The checker writes through one and
/// reads through all.
final class ServiceFleet: Sendable {
    let instances: [ServiceProcess]
    static let fastBus = ["--bus-check-interval", "0.5", "--bus-lease", "5", "--heartbeat", "1", "--stale-sample-rate", "0"]

    init(count: Int, arguments: [String] = ServiceFleet.fastBus) async throws {
        var started: [ServiceProcess] = []
        for _ in 0..<count {
            let instance = try ServiceProcess(arguments: arguments)
            try await instance.start()
            started.append(instance)
        }
        instances = started
        try await waitUntilVerified()
    }

    /// Instances started by the caller.
    init(running instances: [ServiceProcess]) {
        self.instances = instances
    }

    /// Every instance's registry row shows its bus verified.
    func waitUntilVerified(timeout: Duration = .seconds(60)) async throws {
        let pids = instances.map { Int32($0.process.processIdentifier) }
        try await poll("every instance's bus verified in the registry", timeout: timeout) {
            try await Self.registry().filter { pids.contains($0.pid) && $0.verified }.count == pids.count
        }
    }

    struct RegistryRow: Sendable {
        var pid: Int32
        var verified: Bool
        var appliedSequence: Int64
        var flushes: [String: Int]
        var summary: String
    }

    /// The registry's rows, with the bus status each heartbeat carries.
    static func registry() async throws -> [RegistryRow] {
        try await TestDatabase.withClient { client in
            let rows = try await client.query("SELECT pid, summary::text FROM cachetop_instance")
            var found: [RegistryRow] = []
            for try await (pid, text) in rows.decode((Int32, String).self) {
                let summary = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
                let coherence = summary?["coherence"] as? [String: Any]
                found.append(RegistryRow(pid: pid, verified: coherence?["verified"] as? Bool ?? false,
                                         appliedSequence: (coherence?["applied_seq"] as? NSNumber)?.int64Value ?? -1,
                                         flushes: coherence?["flushes"] as? [String: Int] ?? [:], summary: text))
            }
            return found
        }
    }

    /// The product's version as `instance` serves it.
    func version(_ id: Int64, via instance: Int) async throws -> Int64 {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: instances[instance].baseURL + "/products/\(id)"),
                                                           timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        try #require(response.status == .ok, "GET /products/\(id) through instance \(instance): \(response.status)")
        return try JSONDecoder().decode(Product.self, from: Data(buffer: body)).version
    }

    /// Writes the product through `instance`; the version the write committed.
    @discardableResult
    func write(_ id: Int64, stock: Int, via instance: Int) async throws -> Int64 {
        var request = HTTPClientRequest(url: instances[instance].baseURL + "/products/\(id)")
        request.method = .PUT
        request.headers.add(name: "content-type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: #"{"name":"Product \#(id)","price_cents":500,"stock":\#(stock)}"#))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        try #require(response.status == .ok, "PUT /products/\(id) through instance \(instance): \(response.status)")
        return try JSONDecoder().decode(Product.self, from: Data(buffer: body)).version
    }

    /// Seconds until `instance` serves version `version` or later of the product, reading in a
    /// loop; fails after `bound`.
    func secondsUntilFresh(_ id: Int64, version: Int64, via instance: Int, bound: Duration) async throws -> Double {
        let start = ContinuousClock.now
        var served: Int64 = 0
        while ContinuousClock.now - start < bound {
            served = try await self.version(id, via: instance)
            if served >= version { return Double((ContinuousClock.now - start).components.attoseconds) / 1e18
                + Double((ContinuousClock.now - start).components.seconds) }
            try await Task.sleep(for: .milliseconds(2))
        }
        Issue.record("instance \(instance) still served version \(served) of product \(id), not \(version), after \(bound)")
        throw CancellationError()
    }

    /// Kills whatever still runs (SIGKILL), for a test that ends early: no instance outlives it.
    func kill() {
        for instance in instances where instance.process.isRunning {
            Glibc.kill(instance.process.processIdentifier, SIGCONT)
            Glibc.kill(instance.process.processIdentifier, SIGKILL)
        }
    }

    /// Stops every instance with SIGTERM and waits for each to exit.
    func stop() async throws {
        for instance in instances where instance.process.isRunning {
            Glibc.kill(instance.process.processIdentifier, SIGCONT)
            Glibc.kill(instance.process.processIdentifier, SIGTERM)
        }
        for instance in instances { _ = try await instance.waitForExit(timeout: .seconds(15)) }
    }
}

/// The value at `fraction` of `values` sorted (nearest rank).
func percentile(_ values: [Double], _ fraction: Double) -> Double {
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int((Double(sorted.count) * fraction).rounded(.up)) - 1)]
}
