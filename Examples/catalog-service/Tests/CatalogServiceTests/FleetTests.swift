import AsyncHTTPClient
import CatalogService
import Foundation
import PostgresNIO
import Testing

extension CatalogTests {
    /// Several catalog-service processes kept coherent through PostgreSQL: each guarantee is
    /// measured by writing through one instance and reading through the others.
    @Suite struct Fleet {
        /// Normal operation, 4 instances: every write through any instance reaches every other
        /// instance's cache. Prints commit-to-fresh-read latency (p50, p99) for README.
        @Test func aWriteThroughOneInstanceReachesEveryOther() async throws {
            try await TestDatabase.reset()
            let fleet = try await ServiceFleet(count: 4)
            defer { fleet.kill() }
            let ids: [Int64] = Array(1...20)
            for id in ids { for instance in 0..<4 { _ = try await fleet.version(id, via: instance) } }
            var latencies: [Double] = []
            for round in 0..<100 {
                let id = ids[round % ids.count]
                let writer = round % 4
                let version = try await fleet.write(id, stock: round, via: writer)
                // The others read concurrently, each until it serves the committed version.
                try await withThrowingTaskGroup(of: Double.self) { group in
                    for reader in 0..<4 where reader != writer {
                        group.addTask { try await fleet.secondsUntilFresh(id, version: version, via: reader, bound: .seconds(3)) }
                    }
                    for try await seconds in group { latencies.append(seconds) }
                }
            }
            let p50 = percentile(latencies, 0.5) * 1_000, p99 = percentile(latencies, 0.99) * 1_000
            print("fleet figures: 4 instances, \(latencies.count) reads after 100 writes: commit to fresh read on the other instances p50 \(String(format: "%.1f", p50)) ms, p99 \(String(format: "%.1f", p99)) ms")
            let rows = try await ServiceFleet.registry()
            print("fleet figures: bus apply latency (NOTIFY statement time to removal) per instance: " + rows.map { row in
                let summary = (try? JSONSerialization.jsonObject(with: Data(row.summary.utf8))) as? [String: Any]
                let coherence = summary?["coherence"] as? [String: Any]
                return "p50 \(coherence?["apply_latency_p50_ms"] ?? "-") ms p99 \(coherence?["apply_latency_p99_ms"] ?? "-") ms"
            }.joined(separator: "; "))
            #expect(p99 < 1_000, "p99 \(p99) ms: a notification normally lands in milliseconds, not at the check")
            try await fleet.stop()
        }

        /// A notification that never arrives (the log row and its number written without NOTIFY)
        /// and a listener connection killed by the server: stale reads end within the bound,
        /// the check interval plus its statement timeout (0.5 s + 0.5 s here).
        @Test func aLostNotificationAndAKilledListenerEndStaleReadsWithinTheBound() async throws {
            try await TestDatabase.reset()
            let fleet = try await ServiceFleet(count: 2)
            defer { fleet.kill() }
            #expect(try await fleet.version(5, via: 1) == 1)
            let version = try await TestDatabase.withClient { client in
                try await client.withTransaction(logger: TestDatabase.logger) { connection in
                    // Triggers off for this transaction: the change and its log row are written by
                    // hand, and nothing is announced.
                    try await connection.query("SET LOCAL session_replication_role = replica", logger: TestDatabase.logger)
                    try await connection.query("""
                        WITH next AS (UPDATE cachetop_namespace SET seq = seq + 1 WHERE ns = 'products' RETURNING seq)
                        INSERT INTO cachetop_invalidation (ns, seq, keys, origin) SELECT 'products', seq, ARRAY['5'], 'test: notification lost' FROM next
                        """, logger: TestDatabase.logger)
                    return try await connection.query("UPDATE products SET stock = 1, version = version + 1 WHERE id = 5 RETURNING version",
                                                      logger: TestDatabase.logger).decode(Int64.self).reduce(0) { $1 }
                }
            }
            let lost = try await fleet.secondsUntilFresh(5, version: version, via: 1, bound: .seconds(2))
            print("fleet figures: a lost notification: fresh after \(String(format: "%.0f", lost * 1_000)) ms (bound 1 s + slack)")

            #expect(try await fleet.version(6, via: 1) == 1)
            let killed = try await TestDatabase.withClient { client in
                try await client.query("SELECT count(pg_terminate_backend(pid))::bigint FROM pg_stat_activity WHERE application_name LIKE 'cachetop-bus:%'")
                    .decode(Int64.self).reduce(0, +)
            }
            #expect(killed == 2, "both instances' listener connections were killed")
            let written = try await fleet.write(6, stock: 2, via: 0)
            let reconnected = try await fleet.secondsUntilFresh(6, version: written, via: 1, bound: .seconds(3))
            print("fleet figures: a killed listener: fresh after \(String(format: "%.0f", reconnected * 1_000)) ms")
            try await fleet.waitUntilVerified()
            try await fleet.stop()
        }

        /// PostgreSQL restarted while every instance listens: the buses reconnect and catch up,
        /// and a write made as soon as the server is back reaches the other instance.
        @Test func aDatabaseRestartLeavesNoStaleValue() async throws {
            try await TestDatabase.reset()
            let fleet = try await ServiceFleet(count: 2)
            defer { fleet.kill() }
            #expect(try await fleet.version(7, via: 1) == 1)
            try TestDatabase.control("stop")
            try TestDatabase.control("start")
            var written: Int64 = 0
            try await poll("a write through instance 0 once the database is back", timeout: .seconds(30)) {
                written = (try? await fleet.write(7, stock: 3, via: 0)) ?? 0
                return written > 0
            }
            let seconds = try await fleet.secondsUntilFresh(7, version: written, via: 1, bound: .seconds(15))
            print("fleet figures: after a database restart: fresh after \(String(format: "%.0f", seconds * 1_000)) ms")
            try await fleet.waitUntilVerified()
            try await fleet.stop()
        }

        /// An instance stopped (SIGSTOP) past its lease, while its listener connection is dropped
        /// and the log is pruned past what it applied: its very first read on resume misses
        /// (the serving deadline), and its bus flushes the namespace rather than replay.
        @Test func anInstanceStoppedPastTheLogsRetentionFlushesOnResume() async throws {
            try await TestDatabase.reset()
            let fleet = try await ServiceFleet(count: 2, arguments: ServiceFleet.fastBus + ["--bus-retention", "1"])
            defer { fleet.kill() }
            #expect(try await fleet.version(8, via: 1) == 1)
            let stopped = fleet.instances[1].process.processIdentifier
            kill(stopped, SIGSTOP)
            try await TestDatabase.withClient { client in
                // The server drops the stopped instance's session, as a network timeout would,
                // before the writes: their notifications never reach it.
                let dropped = try await client.query("""
                    SELECT count(pg_terminate_backend(a.pid))::bigint FROM pg_stat_activity a JOIN cachetop_instance i
                    ON a.application_name = 'cachetop-bus:' || i.instance::text WHERE i.pid = \(Int32(stopped))
                    """).decode(Int64.self).reduce(0, +)
                #expect(dropped == 1)
            }
            let written = try await fleet.write(8, stock: 4, via: 0)
            for stock in 5..<10 { try await fleet.write(9, stock: stock, via: 0) }
            try await TestDatabase.withClient { client in
                // Instance 0 prunes rows older than a second; the stopped one's gap is gone.
                try await poll("the log pruned of the writes", timeout: .seconds(30)) {
                    try await client.query("SELECT count(*)::bigint FROM cachetop_invalidation WHERE ns = 'products'")
                        .decode(Int64.self).reduce(0, +) == 0
                }
                try await poll("the stopped instance silent for longer than its 5 s lease", timeout: .seconds(30)) {
                    try await client.query("SELECT coalesce(max(beat_age_ms), 0)::bigint FROM cachetop_fleet WHERE pid = \(Int32(stopped))")
                        .decode(Int64.self).reduce(0, +) > 6_000
                }
            }
            kill(stopped, SIGCONT)
            #expect(try await fleet.version(8, via: 1) >= written, "the resumed instance serves no stale value")
            var reported = ""
            do {
                try await poll("the resumed instance reporting its pruned flush", timeout: .seconds(30)) {
                    let row = try await ServiceFleet.registry().first { $0.pid == stopped }
                    reported = row?.summary ?? "no registry row"
                    return row?.flushes["pruned", default: 0] ?? 0 >= 1
                }
            } catch {
                print("the resumed instance's registry row: \(reported)")
                throw error
            }
            try await fleet.stop()
        }
    
        /// `cachetop fleet --db` in a terminal over 4 instances: a row each, an outlier flag on
        /// the one made to leak control connections (a task count that only rises), Enter opens
        /// an instance and Esc comes back, a sweep everywhere reports a line per instance, and a
        /// namespace flush through the log reports each instance applying it. `--json` lists the
        /// same instances.
        @Test func theFleetScreenShowsFlagsOpensAndActsOnEveryInstance() async throws {
            let cachetop = TestDatabase.repositoryRoot.appendingPathComponent(".build/debug/cachetop").path
            try #require(FileManager.default.isExecutableFile(atPath: cachetop),
                         "\(cachetop) is missing: scripts/test.sh builds the repository's root package first")
            try await TestDatabase.reset()
            let fleet = try await ServiceFleet(count: 4)
            defer { fleet.kill() }
            let environment = ProcessInfo.processInfo.environment
            let database = "host=\(environment["PGHOST"]!) port=\(environment["PGPORT"]!) dbname=\(environment["PGDATABASE"]!) user=\(environment["PGUSER"]!)"
            let traffic = Task {
                var id: Int64 = 0
                while !Task.isCancelled {
                    id = id % 200 + 1
                    for instance in 0..<4 { _ = try? await fleet.version(id, via: instance) }
                }
            }
            defer { traffic.cancel() }

            let json = FileManager.default.temporaryDirectory.appendingPathComponent("fleet-\(UUID().uuidString).json").path
            defer { try? FileManager.default.removeItem(atPath: json) }
            #expect(try TestDatabase.spawnAndWait([cachetop, "fleet", "--db", database, "--json", "-n", "1", "-d", "0.5"], output: json) == 0)
            let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any]
            let instances = report?["instances"] as? [[String: Any]] ?? []
            let pids = Set(fleet.instances.map { Int($0.process.processIdentifier) })
            #expect(Set(instances.compactMap { ($0["member"] as? [String: Any])?["pid"] as? Int }) == pids)
            #expect((report?["totals"] as? [String: Any])?["up"] as? Int == 4)

            let session = try TerminalSession(command: "\(cachetop) fleet --db '\(database)' --interval 0.5", width: 160, height: 40)
            defer { session.close() }
            try await session.waitFor(text: "4 up 0 stale 0 lost")

            // One instance's control socket gains a connection every 100 ms that nobody closes.
            let leaking = fleet.instances[2]
            let leak = Task {
                var descriptors: [Int32] = []
                defer { descriptors.forEach { close($0) } }
                while !Task.isCancelled, descriptors.count < 50 {
                    if let descriptor = connectUnixSocket(leaking.socket) { descriptors.append(descriptor) }
                    try? await Task.sleep(for: .milliseconds(100))
                }
                while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(100)) }
            }
            defer { leak.cancel() }
            let pid = "\(leaking.process.processIdentifier)"
            var flagged = ""
            try await poll("the leaking instance's row flagged 'tasks'", timeout: .seconds(30)) {
                let screen = try session.screen()
                flagged = screen
                return screen.split(separator: "\n").contains { $0.contains(" \(pid) ") && $0.hasSuffix("tasks") }
            }
            let otherRows = flagged.split(separator: "\n").filter { line in
                fleet.instances.map { " \($0.process.processIdentifier) " }.contains { line.contains($0) } && !line.contains(" \(pid) ")
            }
            #expect(otherRows.count == 3)
            #expect(otherRows.allSatisfy { !$0.hasSuffix("tasks") }, "only the leaking instance is flagged:\n\(flagged)")

            // The first row, selected: rows are ordered by service, host and pid.
            try session.send("Enter")
            try await session.waitFor(text: "pid \(fleet.instances.map(\.process.processIdentifier).min()!)")
            try session.send("Escape")
            try await session.waitFor(text: "cachetop fleet")

            try session.send("S")
            try await session.waitFor(text: "sweep expired entries on 4 instances? y/N")
            try session.send("y")
            try await poll("a sweep line per instance", timeout: .seconds(30)) {
                try session.screen().components(separatedBy: "sweep: examined").count - 1 == 4
            }

            try session.send("F")
            try await session.waitFor(text: "flush namespace products on every instance (4 listed)? y/N")
            try session.send("y")
            try await poll("a flush line per instance", timeout: .seconds(30)) {
                try session.screen().components(separatedBy: "flush applied").count - 1 == 4
            }
            try session.send("q")
            leak.cancel()
            traffic.cancel()
            try await fleet.stop()
        }

        /// An instance registered under another host's name is reached through an SSH-forwarded
        /// socket, over a real OpenSSH server on loopback (`scripts/ssh-test-server.sh`, whose
        /// client configuration names this machine `fleet-remote`): Enter opens it, Esc comes
        /// back, a sweep reaches it. Without `--ssh` the sweep's line says why it cannot.
        @Test func anInstanceOnAnotherHostIsReachedThroughAnSSHForwardedSocket() async throws {
            let cachetop = TestDatabase.repositoryRoot.appendingPathComponent(".build/debug/cachetop").path
            try #require(FileManager.default.isExecutableFile(atPath: cachetop),
                         "\(cachetop) is missing: scripts/test.sh builds the repository's root package first")
            let environment = ProcessInfo.processInfo.environment
            let sshConfig = try #require(environment["SSH_TEST_CONFIG"],
                                         "no SSH server: scripts/test.sh starts one with scripts/ssh-test-server.sh")
            try await TestDatabase.reset()
            let fleet = try await ServiceFleet(count: 1, arguments: ServiceFleet.fastBus + ["--host-name", "fleet-remote"])
            defer { fleet.kill() }
            let database = "host=\(environment["PGHOST"]!) port=\(environment["PGPORT"]!) dbname=\(environment["PGDATABASE"]!) user=\(environment["PGUSER"]!)"

            let local = try TerminalSession(command: "\(cachetop) fleet --db '\(database)' --interval 0.5")
            defer { local.close() }
            try await local.waitFor(text: "fleet-remote")
            try local.send("S")
            try local.send("y")
            try await local.waitFor(text: "runs on fleet-remote, not here: pass --ssh")
            try local.send("q")

            let session = try TerminalSession(command: "\(cachetop) fleet --db '\(database)' --interval 0.5 --ssh 'ssh -F \(sshConfig)'")
            defer { session.close() }
            try await session.waitFor(text: "fleet-remote")
            try session.send("Enter")
            let opened = try await session.waitFor(text: "pid \(fleet.instances[0].process.processIdentifier)")
            #expect(opened.contains("cachetop-ssh."), "the screen shows the forwarded socket")
            try session.send("Escape")
            try await session.waitFor(text: "cachetop fleet")
            try session.send("S")
            try session.send("y")
            try await session.waitFor(text: "sweep: examined")
            try session.send("q")
            try await fleet.stop()
        }

        /// Write load, 4 instances listening: the cost one invalidation adds to a writer's
        /// transaction (the same single-row UPDATE with the watch trigger and without), and the
        /// invalidations per second four writers commit through `cachetop_invalidate`, all of
        /// which every instance applies. Prints the figures for README; asserts only that every
        /// instance caught up.
        @Test func writeLoadFigures() async throws {
            try await TestDatabase.reset()
            let fleet = try await ServiceFleet(count: 4)
            defer { fleet.kill() }
            let writes = 2_000
            func updates(triggers: Bool) async throws -> Double {
                try await TestDatabase.withClient { client in
                    try await client.withConnection { connection in
                        if !triggers {
                            try await connection.query("SET session_replication_role = replica", logger: TestDatabase.logger)
                        }
                        let start = ContinuousClock.now
                        for index in 0..<writes {
                            let id = Int64(index % 5_000 + 1)
                            try await connection.query("UPDATE products SET stock = stock + 1, version = version + 1 WHERE id = \(id)",
                                                       logger: TestDatabase.logger)
                        }
                        let elapsed = ContinuousClock.now - start
                        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                    }
                }
            }
            _ = try await updates(triggers: false)
            let plain = try await updates(triggers: false)
            let watched = try await updates(triggers: true)
            print("fleet figures: write cost: a single-row UPDATE in its own transaction takes \(String(format: "%.0f", plain / Double(writes) * 1e6)) µs without the watch trigger and \(String(format: "%.0f", watched / Double(writes) * 1e6)) µs with it (\(String(format: "%.2f", watched / plain))×, \(String(format: "+%.0f", (watched - plain) / Double(writes) * 1e6)) µs: the log row, the namespace's counter and the NOTIFY)")

            let writers = 4
            let seconds = 3.0
            let committed = try await TestDatabase.withClient { client in
                try await withThrowingTaskGroup(of: Int.self) { group in
                    for writer in 0..<writers {
                        group.addTask {
                            try await client.withConnection { connection in
                                let deadline = ContinuousClock.now + .seconds(seconds)
                                var count = 0
                                while ContinuousClock.now < deadline {
                                    let key = "\(writer * 1_000_000 + count % 10_000 + 1)"
                                    try await connection.query("SELECT cachetop_invalidate('products', ARRAY[\(key)], 'write load')",
                                                               logger: TestDatabase.logger)
                                    count += 1
                                }
                                return count
                            }
                        }
                    }
                    return try await group.reduce(0, +)
                }
            }
            let last = try await TestDatabase.withClient { client in
                try await client.query("SELECT seq FROM cachetop_namespace WHERE ns = 'products'").decode(Int64.self).reduce(0) { $1 }
            }
            let caughtUpStart = ContinuousClock.now
            let pids = fleet.instances.map { Int32($0.process.processIdentifier) }
            do {
                try await poll("every instance applying the last invalidation", timeout: .seconds(60)) {
                    try await ServiceFleet.registry().filter { pids.contains($0.pid) && $0.appliedSequence >= last }.count == pids.count
                }
            } catch {
                print("last committed \(last); the instances' rows: \(try await ServiceFleet.registry().map(\.summary))")
                throw error
            }
            let caughtUp = ContinuousClock.now - caughtUpStart
            let rows = try await ServiceFleet.registry().filter { pids.contains($0.pid) }
            print("fleet figures: write load: \(writers) writers committed \(committed) invalidations in \(Int(seconds)) s (\(Int(Double(committed) / seconds))/s, one key each, serialised on the namespace's counter row); every instance had applied the last one \(caughtUp) after the writers stopped (heartbeat 1 s); flushes: \(rows.map { $0.flushes.isEmpty ? "none" : "\($0.flushes)" })")
            try await fleet.stop()
        }

        /// A half-open partition: two instances in a network namespace of their own reach the
        /// database over a veth pair, and every packet towards them is then dropped without a
        /// reset. The fail-closed one stops serving cached products within its lease (3 s); the
        /// fail-open one keeps serving them, reports itself unverified and counts what it
        /// served, and `cachetop fleet` flags both. Healed, both verify again.
        @Test func aHalfOpenPartitionStopsFailClosedWithinTheLeaseAndFlagsFailOpen() async throws {
            let cachetop = TestDatabase.repositoryRoot.appendingPathComponent(".build/debug/cachetop").path
            try #require(getuid() == 0, "network namespaces need root (CI runs as root)")
            try await TestDatabase.reset()
            let network = try NetworkPartition()
            defer { network.close() }
            try TestDatabase.control("listen", network.databaseAddress, network.instanceAddress)
            defer { try? TestDatabase.control("loopback") }
            let environment = ["PGHOST": network.databaseAddress, "PGPORT": ProcessInfo.processInfo.environment["PGPORT"]!]
            func instance(_ policy: String) throws -> ServiceProcess {
                try ServiceProcess(arguments: ["--host", network.httpAddress, "--bus-policy", policy, "--bus-lease", "3",
                                               "--bus-check-interval", "0.5", "--heartbeat", "1", "--stale-sample-rate", "0",
                                               "--query-timeout", "1"],
                                   networkNamespace: network.name, environment: environment)
            }
            let closed = try instance("fail-closed"), open = try instance("fail-open")
            try await closed.start()
            try await open.start()
            let fleet = ServiceFleet(running: [closed, open])
            defer { fleet.kill() }
            try await fleet.waitUntilVerified()
            #expect(try await fleet.version(11, via: 0) == 1)
            #expect(try await fleet.version(11, via: 1) == 1)

            try network.partition()
            let start = ContinuousClock.now
            var stoppedAfter = Duration.zero
            try await poll("the fail-closed instance to stop serving", timeout: .seconds(10)) {
                let status = try Self.coherence(of: closed, cachetop: cachetop)
                stoppedAfter = ContinuousClock.now - start
                return status.verified == false && status.serving == false && status.count == 0
            }
            print("fleet figures: a half-open partition: the fail-closed instance stopped serving after \(stoppedAfter) (lease 3 s)")
            #expect(stoppedAfter < .seconds(5), "within the lease and a check: \(stoppedAfter)")
            var status = 0
            try await poll("the fail-closed instance answering from the database, not its cache", timeout: .seconds(10)) {
                var request = HTTPClientRequest(url: closed.baseURL + "/products/11")
                request.method = .GET
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
                _ = try await response.body.collect(upTo: 1 << 20)
                status = Int(response.status.code)
                return status != 200
            }
            #expect(status == 503, "the database is unreachable, and the cache no longer answers")

            try await poll("the fail-open instance flagged unverified", timeout: .seconds(10)) {
                try Self.coherence(of: open, cachetop: cachetop).verified == false
            }
            #expect(try await fleet.version(11, via: 1) == 1, "fail-open keeps serving its cached product")
            try await poll("the fail-open instance counting what it served unverified", timeout: .seconds(10)) {
                try Self.coherence(of: open, cachetop: cachetop).unverifiedServes >= 1
            }
            let list = FileManager.default.temporaryDirectory.appendingPathComponent("sockets-\(UUID().uuidString)").path
            try (closed.socket + "\n" + open.socket + "\n").write(toFile: list, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: list) }
            let json = list + ".json"
            defer { try? FileManager.default.removeItem(atPath: json) }
            #expect(try TestDatabase.spawnAndWait([cachetop, "fleet", "--hosts", list, "--json", "-n", "1", "-d", "0.5"], output: json) == 0)
            let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any]
            let flags = (report?["instances"] as? [[String: Any]] ?? []).map { $0["flags"] as? [String] ?? [] }
            #expect(flags == [["bus"], ["bus"]], "both unverified instances flagged: \(flags)")

            try network.heal()
            try await fleet.waitUntilVerified(timeout: .seconds(30))
            #expect(try await fleet.version(11, via: 0) == 1)
            try await fleet.stop()
        }

        struct Coherence {
            var verified: Bool
            var serving: Bool
            var count: Int
            var unverifiedServes: Int
        }

        /// The instance's bus status and entry count, read over its control socket with
        /// `cachetop stats --json` (the partition leaves the socket reachable).
        static func coherence(of instance: ServiceProcess, cachetop: String) throws -> Coherence {
            let output = instance.directory + "/stats.json"
            guard try TestDatabase.spawnAndWait([cachetop, "stats", instance.socket, "--json"], output: output) == 0 else {
                throw CatalogSetupError("cachetop stats \(instance.socket) failed")
            }
            let snapshot = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: output))) as? [String: Any]
            let coherence = snapshot?["coherence"] as? [String: Any]
            return Coherence(verified: coherence?["verified"] as? Bool ?? false, serving: coherence?["serving"] as? Bool ?? false,
                             count: snapshot?["count"] as? Int ?? -1, unverifiedServes: coherence?["unverified_serves"] as? Int ?? 0)
        }
    }
}

/// A connection to a unix socket that is never used; nil when it cannot connect.
func connectUnixSocket(_ path: String) -> Int32? {
    let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { return nil }
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    let bytes = Array(path.utf8)
    guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { close(descriptor); return nil }
    withUnsafeMutableBytes(of: &address.sun_path) { buffer in
        for (index, byte) in bytes.enumerated() { buffer[index] = byte }
        buffer[bytes.count] = 0
    }
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
    }
    guard connected == 0 else { close(descriptor); return nil }
    return descriptor
}
