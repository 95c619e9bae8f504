import AsyncHTTPClient
import CatalogService
import Foundation
import NIOCore
import PostgresNIO
import Testing

extension CatalogTests {
    /// The `catalog-service` binary run as its own process, as operators run it.
    @Suite struct Process {
        /// SIGTERM while a request waits on the database and others keep arriving: the waiting
        /// request is answered, the process exits 0 within a bound and removes its socket.
        @Test func sigtermUnderLoadFinishesTheRequestsInFlightAndExitsCleanly() async throws {
            try await TestDatabase.reset()
            let service = try ServiceProcess(arguments: ["--query-timeout", "60"])
            try await service.start()
            #expect(FileManager.default.fileExists(atPath: service.socket))
            let base = service.baseURL
            let get: @Sendable (String) async throws -> Int = { path in
                let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: base + path), timeout: .seconds(20))
                _ = try await response.body.collect(upTo: 1 << 20)
                return Int(response.status.code)
            }
            // Product 1 cached: its bus verified first (a fail-closed cache stores nothing before).
            try await ServiceFleet(running: [service]).waitUntilVerified()
            #expect(try await get("/products/1") == 200)

            try await TestDatabase.withClient { admin in
                try await admin.withConnection { locked in
                    try await locked.query("BEGIN", logger: TestDatabase.logger)
                    try await locked.query("LOCK TABLE products IN ACCESS EXCLUSIVE MODE", logger: TestDatabase.logger)
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        // The request in flight: its load waits on the lock.
                        group.addTask {
                            let status = try await get("/products/77")
                            #expect(status == 200, "the request in flight is answered")
                        }
                        // Background load on a cached product, until the server goes.
                        for _ in 0..<4 {
                            group.addTask { while (try? await get("/products/1")) == 200 {} }
                        }
                        try await poll("the load waiting on the lock") {
                            try await locked.query("""
                                SELECT count(*)::bigint FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%FROM products WHERE id = $1%'
                                """, logger: TestDatabase.logger).decode(Int64.self).reduce(0, +) == 1
                        }
                        kill(service.process.processIdentifier, SIGTERM)
                        try await Task.sleep(for: .milliseconds(300))
                        #expect(service.process.isRunning, "the service waits for the request in flight")
                        try await locked.query("COMMIT", logger: TestDatabase.logger)
                        // The bound holds while clients are still sending.
                        let status = try await service.waitForExit(timeout: .seconds(10))
                        #expect(status == 0, "exit status \(status.map(String.init) ?? "none: still running 10 s after the request in flight ended")")
                        try await group.waitForAll()
                    }
                }
            }
            #expect(!FileManager.default.fileExists(atPath: service.socket), "the control socket is removed")
        }

        /// `cachetop attach` in a terminal, against the running service: its hit ratio, loads
        /// and tasks are on screen, and a resize and a sweep from the keyboard reach it.
        @Test func cachetopAttachedToTheServiceShowsItAndActsOnIt() async throws {
            let cachetop = TestDatabase.repositoryRoot.appendingPathComponent(".build/debug/cachetop").path
            try #require(FileManager.default.isExecutableFile(atPath: cachetop),
                         "\(cachetop) is missing: scripts/test.sh builds the repository's root package first")
            try await TestDatabase.reset()
            let service = try ServiceProcess(arguments: ["--capacity", "50000"])
            try await service.start()
            let base = service.baseURL
            let traffic = Task {
                var id = 0
                while !Task.isCancelled {
                    id = (id + 7) % 300 + 1
                    let response = try? await HTTPClient.shared.execute(HTTPClientRequest(url: base + "/products/\(id)"), timeout: .seconds(10))
                    _ = try? await response?.body.collect(upTo: 1 << 20)
                }
            }
            defer { traffic.cancel() }

            let session = try TerminalSession(command: "\(cachetop) attach \(service.socket) --interval 0.5")
            defer { session.close() }
            try await session.waitFor(text: "pid \(service.process.processIdentifier)")
            let screen = try await session.waitFor(text: "/50.0k")
            for label in ["window", "loaders", "in-flight loads", "load waiters", "sweeper", "connections"] {
                #expect(screen.contains(label), "'\(label)' on the screen")
            }
            let ratio = try await waitForHitRatio(session)
            #expect(ratio > 0, "the live hit ratio of the service's traffic: \(ratio)%")

            try session.send("]")
            try await session.waitFor(text: "resize products 50000 -> 55000? y/N")
            try session.send("y")
            try await session.waitFor(text: "/55.0k")
            try session.send("s")
            try await session.waitFor(text: "sweep products now? y/N")
            try session.send("y")
            try await session.waitFor(text: "sweep: examined")
            try session.send("q")

            traffic.cancel()
            kill(service.process.processIdentifier, SIGTERM)
            #expect(try await service.waitForExit(timeout: .seconds(15)) == 0)
        }

        /// The hit ratio over the dashboard's window, once traffic has produced one above zero.
        private func waitForHitRatio(_ session: TerminalSession) async throws -> Double {
            var ratio = 0.0
            try await poll("a hit ratio above 0% on the screen", timeout: .seconds(30)) {
                let screen = try session.screen()
                guard let match = screen.firstMatch(of: /window (\d+(?:\.\d+)?)%/) else { return false }
                ratio = Double(match.output.1) ?? 0
                return ratio > 0
            }
            return ratio
        }
    }
}
