import CacheEngine
@testable import CacheFleet
import CacheVocabulary
import Foundation
import PostgresNIO
import Testing

/// The bus against the real PostgreSQL: each guarantee measured with a bound, by polling.
@Suite(.serialized) struct InvalidationBusTests {
    /// After a lost notification, stale reads end within a check interval plus a statement
    /// timeout (and the replay); the tests allow twice that.
    static let repairBound = (BusHarness.checkInterval + BusHarness.queryTimeout) * 2

    @Test func aCommittedInvalidationRemovesTheKeysAndARolledBackOneDoesNothing() async throws {
        try await BusHarness.with(namespace: FleetDatabase.namespace("commit")) { harness in
            try await harness.fill(0..<10)
            try await FleetDatabase.withConnection { writer in
                try await writer.query("BEGIN", logger: FleetDatabase.logger)
                try await InvalidationPublisher.invalidate(namespace: harness.namespace, keys: ["1", "2"], on: writer,
                                                           logger: FleetDatabase.logger)
                try await writer.query("ROLLBACK", logger: FleetDatabase.logger)
                try await harness.invalidate([3, 4], on: writer)
            }
            let removed = await eventually(within: .seconds(2)) { harness.cache.value(forKey: 3) == nil }
            #expect(removed)
            #expect(harness.cache.value(forKey: 4) == nil)
            #expect(harness.cache.value(forKey: 1) == "v1", "a rolled-back invalidation was applied")
            #expect(harness.status.appliedSequence == 1, "the rollback left a gap or the commit was not applied once")
            #expect(harness.status.applied["notify"] == 1)
            #expect(harness.status.applyLatencyP50Milliseconds != nil)
        }
    }

    @Test func aLostNotificationIsRepairedByTheCheck() async throws {
        try await BusHarness.with(namespace: FleetDatabase.namespace("lost")) { harness in
            try await harness.fill(0..<10)
            // What cachetop_invalidate writes, without its pg_notify: a notification lost.
            try await FleetDatabase.withConnection { writer in
                try await writer.query("""
                    WITH n AS (INSERT INTO cachetop_namespace AS n (ns, seq) VALUES (\(harness.namespace), 1)
                               ON CONFLICT (ns) DO UPDATE SET seq = n.seq + 1 RETURNING seq)
                    INSERT INTO cachetop_invalidation (ns, seq, keys) SELECT \(harness.namespace), seq, ARRAY['5'] FROM n
                    """, logger: FleetDatabase.logger)
            }
            let clock = ContinuousClock()
            let start = clock.now
            let repaired = await eventually(within: Self.repairBound) { harness.cache.value(forKey: 5) == nil }
            #expect(repaired, "key 5 still cached \(start.duration(to: clock.now)) after its invalidation committed")
            #expect(harness.status.applied["replay"] == 1)
            #expect(harness.status.appliedSequence == 1)
        }
    }

    /// A loader that reads a lagging replica: simulated by a REPEATABLE READ transaction whose
    /// snapshot was taken before the write, it reads the old row and the old stamp after the
    /// bus applied the invalidation. The stamp is refused, so the value answers its callers and
    /// is not stored; a load stamped after the invalidation is stored.
    @Test func aLoadFromASnapshotOlderThanAnAppliedInvalidationIsNotStored() async throws {
        try await BusHarness.with(namespace: FleetDatabase.namespace("stamp")) { harness in
            try await harness.fill(0..<1)
            try await FleetDatabase.withConnection { replica in
                try await replica.query("BEGIN ISOLATION LEVEL REPEATABLE READ", logger: FleetDatabase.logger)
                let before = try await Self.stamp(harness.namespace, on: replica)
                try await FleetDatabase.withConnection { writer in try await harness.invalidate([1], on: writer) }
                let applied = await eventually(within: .seconds(2)) { harness.status.appliedSequence == before + 1 }
                try #require(applied, "\(harness.status)")
                // The "replica" has not replayed the write: its snapshot still shows the old number.
                let lagging = try await Self.stamp(harness.namespace, on: replica)
                #expect(lagging == before)
                #expect(!harness.bus.admits(namespace: harness.namespace, key: "1", stamp: lagging))
                let served = try await harness.cache.value(forKey: 1) { key in
                    harness.bus.admits(namespace: harness.namespace, key: "\(key)", stamp: lagging)
                        ? .value("old row") : .uncached("old row")
                }
                #expect(served == "old row", "the caller still gets an answer")
                if case .miss = harness.cache.lookup(forKey: 1) {} else { Issue.record("the stale load was stored") }
                try await replica.query("COMMIT", logger: FleetDatabase.logger)
                let current = try await Self.stamp(harness.namespace, on: replica)
                #expect(harness.bus.admits(namespace: harness.namespace, key: "1", stamp: current))
                _ = try await harness.cache.value(forKey: 1) { _ in .value("new row") }
                #expect(harness.cache.value(forKey: 1) == "new row")
            }
        }
    }

    static func stamp(_ namespace: String, on connection: PostgresConnection) async throws -> Int64 {
        let rows = try await connection.query("SELECT cachetop_stamp(\(namespace))", logger: FleetDatabase.logger)
        for try await stamp in rows.decode(Int64.self) { return stamp }
        return -1
    }

    @Test func aKilledListenerReconnectsAndReplaysWhatItMissed() async throws {
        try await BusHarness.with(namespace: FleetDatabase.namespace("killed")) { harness in
            try await harness.fill(0..<100)
            try await FleetDatabase.withConnection { writer in
                let killed = try await writer.query("""
                    SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                    WHERE application_name = \("cachetop-bus:" + harness.bus.configuration.instance.uuidString.lowercased())
                    """, logger: FleetDatabase.logger)
                for try await count in killed.decode(Int.self) { #expect(count == 1) }
                // Writes continue while the bus is away.
                for key in 0..<20 { try await harness.invalidate([key], on: writer) }
            }
            let caughtUp = await eventually(within: .seconds(5)) {
                harness.status.appliedSequence == 20 && harness.status.state == .listening
            }
            #expect(caughtUp, "\(harness.status)")
            #expect(harness.status.reconnects >= 1)
            for key in 0..<20 { #expect(harness.cache.value(forKey: key) == nil, "key \(key) survived") }
            #expect(harness.cache.value(forKey: 50) == "v50")
        }
    }

    @Test func aGapTheLogNoLongerCoversFlushesTheNamespace() async throws {
        try await BusHarness.with(namespace: FleetDatabase.namespace("pruned")) { harness in
            try await harness.fill(0..<10)
            try await FleetDatabase.withConnection { writer in
                // Number 1 is committed without notification and pruned before anyone read it;
                // number 2 is announced: the gap cannot be replayed.
                try await writer.query("""
                    WITH n AS (INSERT INTO cachetop_namespace AS n (ns, seq) VALUES (\(harness.namespace), 1)
                               ON CONFLICT (ns) DO UPDATE SET seq = n.seq + 1 RETURNING seq)
                    SELECT seq FROM n
                    """, logger: FleetDatabase.logger)
                try await harness.invalidate([7], on: writer)
            }
            let flushed = await eventually(within: .seconds(2)) { harness.status.flushes["pruned"] == 1 }
            #expect(flushed, "\(harness.status)")
            #expect(harness.cache.count == 0)
            #expect(harness.status.appliedSequence == 2)
        }
    }

    @Test func aStatementOnAWatchedTableInvalidatesItsRowsOnceAndABigOneTheNamespace() async throws {
        let namespace = FleetDatabase.namespace("watched")
        let table = "fleet_watched_\(namespace.suffix(8))"
        try await FleetDatabase.withConnection { admin in
            try await FleetSchema.install(on: admin, logger: FleetDatabase.logger)
            try await admin.query(PostgresQuery(unsafeSQL: "CREATE TABLE \(table) (id int PRIMARY KEY, v text)"), logger: FleetDatabase.logger)
            try await admin.query(PostgresQuery(unsafeSQL: "INSERT INTO \(table) SELECT g, 'x' FROM generate_series(0, 1999) g"), logger: FleetDatabase.logger)
            try await FleetSchema.watch(table: table, namespace: namespace, keyColumn: "id", on: admin, logger: FleetDatabase.logger)
        }
        try await BusHarness.with(namespace: namespace) { harness in
            try await harness.fill(0..<2_000)
            try await FleetDatabase.withConnection { writer in
                try await writer.query(PostgresQuery(unsafeSQL: "UPDATE \(table) SET v = 'y' WHERE id < 10"), logger: FleetDatabase.logger)
                let logged = try await writer.query("SELECT count(*)::int FROM cachetop_invalidation WHERE ns = \(namespace)",
                                                    logger: FleetDatabase.logger)
                for try await rows in logged.decode(Int.self) { #expect(rows == 1, "one statement, one log row") }
            }
            let applied = await eventually(within: .seconds(2)) { harness.status.appliedSequence == 1 }
            #expect(applied)
            for key in 0..<10 { #expect(harness.cache.value(forKey: key) == nil) }
            #expect(harness.cache.value(forKey: 10) == "v10")
            try await FleetDatabase.withConnection { writer in
                try await writer.query(PostgresQuery(unsafeSQL: "DELETE FROM \(table) WHERE id >= 500"), logger: FleetDatabase.logger)
            }
            let flushed = await eventually(within: .seconds(2)) { harness.status.flushes["namespace"] == 1 }
            #expect(flushed, "1,500 keys should invalidate the whole namespace: \(harness.status)")
            #expect(harness.cache.count == 0)
        }
        try await FleetDatabase.withConnection { admin in
            try await admin.query(PostgresQuery(unsafeSQL: "DROP TABLE \(table)"), logger: FleetDatabase.logger)
        }
    }

    @Test func aMalformedNotificationIsIgnoredAndTheBusGoesOn() async throws {
        try await BusHarness.with(namespace: FleetDatabase.namespace("malformed")) { harness in
            try await harness.fill(0..<10)
            try await FleetDatabase.withConnection { writer in
                for payload in ["garbage", "{\"ns\":\"\(harness.namespace)\",\"seq\":-4}", "{}"] {
                    try await writer.query("SELECT pg_notify('cachetop', \(payload))", logger: FleetDatabase.logger)
                }
                try await harness.invalidate([2], on: writer)
            }
            let applied = await eventually(within: .seconds(2)) { harness.cache.value(forKey: 2) == nil }
            #expect(applied)
            #expect(harness.status.state == .listening)
            #expect(harness.bus.state.withLock { $0.ignoredPayloads } == 3)
        }
    }
}
