@testable import CacheDashboard
import Testing

@Suite struct ModelTests {
    @Test func ratesComeFromSnapshotDeltas() {
        let samples = SampleFactory.sequence(count: 3)
        let rates = Rates(from: samples[1], to: samples[2])
        let hitsDelta = samples[2].snapshot.counters.hits - samples[1].snapshot.counters.hits
        #expect(rates.hits == Double(hitsDelta))
        #expect(rates.hits + rates.misses == 20_000)
        #expect(rates.expirations == 500)
        #expect(rates.hitRatio == Double(hitsDelta) / 20_000)
    }

    @Test func leakWatchFlagsOnlyCountsThatOnlyRose() {
        #expect(LeakWatch.isRisingOnly([100, 180, 400, 900, 1_600]), "a stuck backend's loaders")
        #expect(!LeakWatch.isRisingOnly([0, 4, 4, 4, 4]), "a service starting is one step")
        #expect(!LeakWatch.isRisingOnly([0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]))
        #expect(!LeakWatch.isRisingOnly([120, 131, 118, 140, 125, 133]), "fluctuation")
        #expect(!LeakWatch.isRisingOnly([50, 52, 55, 61]), "a monotone wobble that does not double")
        #expect(LeakWatch.isRisingOnly([1, 1, 2, 2, 3, 3, 3, 4, 4, 5]), "a slow creep over the window")
        #expect(!LeakWatch.isRisingOnly([1, 2, 3]), "too short to tell")
    }

    @Test func aStuckBackendIsFlaggedWithinFiveSamples() {
        var state = DashboardState(glyphs: .ascii)
        for index in 0..<10 { state.ingest(SampleFactory.sample(index)) }
        #expect(state.suspectedLeaks.isEmpty)
        var flaggedAfter: Int?
        for step in 1...5 {
            let loaders = 120 * (1 << step)
            state.ingest(SampleFactory.sample(10 + step, tasks: ["sweeper": 1, "loader": loaders, "workload": 4], inFlight: loaders))
            if flaggedAfter == nil, state.suspectedLeaks.contains("loader") { flaggedAfter = step }
        }
        #expect(flaggedAfter != nil && flaggedAfter! <= 5)
        #expect(state.suspectedLeaks.contains("in-flight loads"))
        #expect(state.events.events.contains { $0.text == "suspected leak: loader has only risen" })
        // Drained: the flag clears.
        for step in 1...3 { state.ingest(SampleFactory.sample(20 + step, tasks: ["sweeper": 1, "loader": 100, "workload": 4], inFlight: 100)) }
        #expect(!state.suspectedLeaks.contains("loader"))
        #expect(state.events.events.contains { $0.text == "loader no longer rising only" })
    }

    @Test func aStartingTargetsRampIsNotALeak() {
        var state = DashboardState(glyphs: .ascii)
        for second in 0..<6 {
            var sample = SampleFactory.sample(second, tasks: ["loader": 40 * second], inFlight: 40 * second)
            sample.snapshot.uptimeNanoseconds = Int64(second) * 1_000_000_000
            state.ingest(sample)
        }
        #expect(state.suspectedLeaks.isEmpty)
        #expect(!state.events.events.contains { $0.text.hasPrefix("suspected leak") })
    }

    @Test func disconnectionAndRecoveryAreLogged() {
        var state = DashboardState(glyphs: .ascii)
        state.ingest(SampleFactory.sample(1))
        state.pollFailed("nothing is listening", at: 10, retryAt: 11)
        state.pollFailed("nothing is listening", at: 11, retryAt: 13)
        #expect(state.events.events.filter { $0.text.hasPrefix("disconnected") }.count == 1)
        if case .disconnected(let since, _, let retry) = state.connection {
            #expect(since == 10 && retry == 13)
        } else {
            Issue.record("not disconnected")
        }
        var restarted = SampleFactory.sample(0)
        restarted.target.pid = 5151
        state.ingest(restarted)
        #expect(state.connection == .connected)
        #expect(state.events.events.contains { $0.text.hasPrefix("reconnected") })
        #expect(state.events.events.contains { $0.text.hasPrefix("target restarted") })
        #expect(state.history.count == 1)
    }

    @Test func pausedScreenKeepsSamplingUnderneath() {
        var state = SampleFactory.state(SampleFactory.sequence(count: 5))
        _ = state.handle(.character("p"), now: 0)
        state.ingest(SampleFactory.sample(5))
        #expect(state.shownHistory.count == 5)
        #expect(state.history.count == 6)
        _ = state.handle(.character("p"), now: 0)
        #expect(state.shownHistory.count == 6)
    }

    @Test func formatsStayShort() {
        #expect(Format.count(1_234) == "1234")
        #expect(Format.count(12_345) == "12.3k")
        #expect(Format.count(1_500_000) == "1.50M")
        #expect(Format.percent(0.8123) == "81.2%")
        #expect(Format.bytes(1_536) == "1.5KiB")
        #expect(Format.duration(nanoseconds: 2_400_000) == "2.4ms")
        #expect(Format.seconds(185) == "3m05s")
        #expect(Format.fixed(-0.04, 1) == "-0.0" || Format.fixed(-0.04, 1) == "0.0")
    }
}
