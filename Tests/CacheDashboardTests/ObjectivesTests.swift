@testable import CacheDashboard
import CacheVocabulary
import Testing

/// `--slo`: parsed with one clear error per bad item, judged on the window, drawn beside the
/// figures, flagged in the header and logged when a breach starts and ends.
@Suite struct ObjectivesTests {
    @Test func objectivesParseAndBadOnesAreNamed() throws {
        let all = try ServiceLevelObjectives.parse("hit=92.5%,load-p95=8ms,memory=75%")
        #expect(all.hitRatio == 0.925)
        #expect(all.loadLatency == .init(percentile: 0.95, nanoseconds: 8_000_000, label: "p95"))
        #expect(all.memory == .fractionOfMachine(0.75))
        #expect(try ServiceLevelObjectives.parse("memory=512MiB").memory == .bytes(512 << 20))
        #expect(try ServiceLevelObjectives.parse("load-p999=1.5s").loadLatency?.nanoseconds == 1_500_000_000)
        #expect(try ServiceLevelObjectives.parse("").isEmpty)
        let refusals: [(String, String)] = [
            ("hit=92.5", "SLO hit must be a percentage above 0 and at most 100, such as hit=92.5%, got '92.5'"),
            ("hit=101%", "SLO hit must be a percentage above 0 and at most 100, such as hit=92.5%, got '101%'"),
            ("load-p97=8ms", "SLO 'load-p97' must name a percentile: load-p50, load-p90, load-p95, load-p99 or load-p999"),
            ("load-p95=eight", "SLO load-p95 must be a duration such as 8ms, 500us or 1.5s, got 'eight'"),
            ("memory=lots", "SLO memory must be a percentage of this machine's memory (75%) or a size (512MiB, 2GiB), got 'lots'"),
            ("latency=8ms", "unknown SLO 'latency': use hit, load-p50, load-p90, load-p95, load-p99, load-p999 or memory"),
            ("hit", "SLO 'hit' must look like name=value, such as hit=92.5%"),
        ]
        for (text, message) in refusals {
            #expect(throws: ServiceLevelObjectives.ParseError(description: message)) { _ = try ServiceLevelObjectives.parse(text) }
        }
    }

    @Test func aBreachIsFlaggedInTheHeaderAndLoggedWhenItStartsAndEnds() throws {
        let objectives = try ServiceLevelObjectives.parse("hit=80%,memory=100MiB")
        var state = DashboardState(glyphs: Glyphs(graph: .braille), objectives: objectives)
        state.window = .tenSeconds
        let samples = SampleFactory.sequence(count: 40)
        // The sample factory's hit ratio climbs from 50% towards 85%: breached first, met later.
        for sample in samples.prefix(3) { state.ingest(sample) }
        #expect(state.breachedObjectives.map(\.name) == ["hit"])
        let breach = state.events.events.first { $0.text.hasPrefix("SLO breached: hit ") }
        #expect(breach?.isError == true && breach?.text.hasSuffix(", objective ≥80.0%") == true, "\(state.events.events)")
        let header = DashboardView.render(state, width: 120, height: 40, now: samples[2].time).line(0)
        #expect(header.contains("SLO BREACH: hit"))
        let frame = DashboardView.render(state, width: 120, height: 40, now: samples[2].time).text()
        #expect(frame.contains("slo ≥80.0%"), "the objective beside the hit ratio")
        #expect(frame.contains("MiB ≤100MiB"), "the objective beside the resident memory: \(frame)")
        for sample in samples.dropFirst(3) { state.ingest(sample) }
        #expect(state.breachedObjectives.isEmpty)
        #expect(state.events.events.contains { $0.text.hasPrefix("SLO met again: hit") && !$0.isError })
        #expect(!DashboardView.render(state, width: 120, height: 40, now: samples.last!.time).line(0).contains("SLO"))
        var plain = DashboardState(glyphs: .ascii)
        for sample in samples { plain.ingest(sample) }
        #expect(plain.objectiveStatuses.isEmpty, "no objective unless one is given")
    }
}
