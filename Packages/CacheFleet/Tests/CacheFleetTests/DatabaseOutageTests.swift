import CacheEngine
@testable import CacheFleet
import CacheVocabulary
import Foundation
import PostgresNIO
import Testing

/// The bus across a restart and an outage of the real server (stopped and started with the
/// project's script). Serialized with the other suites that use the cluster: it goes away here.
@Suite(.serialized) struct DatabaseOutageTests {
    @Test func aRestartMidListenReconnectsReplaysAndLeavesNoStaleValue() async throws {
        try await BusHarness.with(namespace: FleetDatabase.namespace("restart")) { harness in
            try await harness.fill(0..<50)
            try FleetDatabase.control("stop")
            try FleetDatabase.control("start")
            // Committed while the bus reconnects: only the replay can bring these.
            try await FleetDatabase.withConnection { writer in
                for key in 0..<10 { try await harness.invalidate([key], on: writer) }
            }
            let caughtUp = await eventually(within: .seconds(10)) {
                harness.status.state == .listening && harness.status.appliedSequence == 10
            }
            #expect(caughtUp, "\(harness.status)")
            #expect(harness.status.reconnects >= 1)
            for key in 0..<10 { #expect(harness.cache.value(forKey: key) == nil, "key \(key) survived the restart") }
            // The new subscription delivers as the old one did.
            try await FleetDatabase.withConnection { writer in try await harness.invalidate([20], on: writer) }
            let delivered = await eventually(within: .seconds(2)) { harness.cache.value(forKey: 20) == nil }
            #expect(delivered)
        }
    }

    @Test func withTheDatabaseDownFailClosedStopsStoringWithinTheLeaseAndFailOpenIsFlagged() async throws {
        let lease: Duration = .seconds(1)
        try await BusHarness.with(namespace: FleetDatabase.namespace("closed"), policy: .failClosed, lease: lease) { closed in
            try await BusHarness.with(namespace: FleetDatabase.namespace("open"), policy: .failOpen, lease: lease) { open in
                try await closed.fill(0..<10)
                try await open.fill(0..<10)
                try FleetDatabase.control("stop")
                let clock = ContinuousClock()
                let stoppedAt = clock.now
                // Bound: the lease, plus a lease tick and a check interval of slack.
                let bound = lease + BusHarness.checkInterval * 2
                let closedStopped = await eventually(within: bound + .seconds(1)) { !closed.cache.coherence.isStoring }
                let took = stoppedAt.duration(to: clock.now)
                let openUnverified = await eventually(within: .seconds(1)) { open.cache.coherence.status?.verified == false }
                // Reads while down: the fail-closed cache answers nothing, the fail-open one serves.
                let closedRead = closed.cache.value(forKey: 1)
                let openRead = open.cache.value(forKey: 1)
                try FleetDatabase.control("start")
                #expect(closedStopped, "the fail-closed cache still stored \(took) after the database went down")
                #expect(took <= bound + .milliseconds(300), "stopped storing after \(took), bound \(bound)")
                #expect(closedRead == nil)
                #expect(closed.status.flushes["lease"] == 1)
                #expect(openUnverified)
                #expect(openRead == "v1")
                #expect(open.cache.coherence.isStoring)
                let recovered = await eventually(within: .seconds(10)) {
                    closed.status.verified && closed.cache.coherence.isStoring && open.status.verified
                }
                #expect(recovered, "closed: \(closed.status) open: \(open.status)")
                #expect(open.status.unverifiedServes >= 1, "the read served unverified was not counted")
            }
        }
    }
}
