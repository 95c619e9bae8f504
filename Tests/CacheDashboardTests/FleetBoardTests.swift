@testable import CacheDashboard
import CacheVocabulary
import Foundation
import Testing

/// The fleet screen's figures, flags and keys, from scripted registry rows: no database, no
/// terminal, no clock.
@Suite struct FleetBoardTests {
    static let start = 1_763_900_000.0

    static func member(_ pid: Int, hits: Int, misses: Int, count: Int = 1_000, resident: Int = 100_000_000, tasks: Int = 3,
                       beatAge: Int64 = 0, lag: Int64? = nil, verified: Bool = true, host: String = "node") -> FleetMember {
        let coherence = lag.map {
            CoherenceStatus(namespace: "products", state: .listening, verified: verified, policy: .failClosed,
                            leaseMilliseconds: 10_000, sinceVerifiedMilliseconds: 0, serving: true, appliedSequence: 10,
                            latestSequence: 10, lagMilliseconds: $0)
        }
        let summary = FleetSummary(hits: hits, misses: misses, count: count, capacity: 10_000, weightedSize: count,
                                   residentBytes: resident, tasks: ["maintenance": tasks], loadsInFlight: 0, loadWaiters: 0,
                                   uptimeMilliseconds: 60_000, coherence: coherence)
        return FleetMember(instance: "i\(pid)", cache: "products", service: "catalog", host: host, pid: pid,
                           endpoint: "/run/catalog-\(pid).sock", uptimeMilliseconds: 60_000, beatAgeMilliseconds: beatAge,
                           summary: summary)
    }

    /// The header's hit ratio is Σhits ÷ Σgets over the window: a busy instance at 90% and an
    /// idle one at 10% make a fleet near 90%, not the 50% a mean of ratios would show.
    @Test func fleetHitRatioIsARatioOfSums() throws {
        var board = FleetBoard(sourceLabel: "test", canFlush: true)
        board.ingest([Self.member(1, hits: 0, misses: 0), Self.member(2, hits: 0, misses: 0)], now: Self.start)
        board.ingest([Self.member(1, hits: 9_000, misses: 1_000), Self.member(2, hits: 10, misses: 90)], now: Self.start + 10)
        let rows = board.rows(now: Self.start + 10)
        #expect(rows.map(\.hitRatio) == [0.9, 0.1])
        #expect(rows[0].getsPerSecond == 1_000)
        let totals = FleetBoard.totals(rows)
        let ratio = try #require(totals.hitRatio)
        #expect(abs(ratio - 9_010.0 / 10_100.0) < 1e-9)
        #expect(totals.getsPerSecond == 1_010)
        #expect(totals.up == 2)
    }

    /// A registry row repeated between heartbeats adds no observation, and the window measures
    /// from the report times (now less the beat age), not from when cachetop polled.
    @Test func repeatedHeartbeatsDoNotDistortRates() {
        var board = FleetBoard(sourceLabel: "test", canFlush: true)
        board.ingest([Self.member(1, hits: 0, misses: 0, beatAge: 0)], now: Self.start)
        board.ingest([Self.member(1, hits: 0, misses: 0, beatAge: 2_000)], now: Self.start + 2)
        board.ingest([Self.member(1, hits: 500, misses: 0, beatAge: 0)], now: Self.start + 5)
        let row = board.rows(now: Self.start + 5)[0]
        #expect(row.getsPerSecond == 100, "500 gets over the 5 s between the two heartbeats")
    }

    /// Presence follows the age of the newest report: up, stale past staleAfter, lost past
    /// lostAfter; a silent instance stays listed as it ages.
    @Test func presenceAgesFromUpToStaleToLost() {
        var board = FleetBoard(sourceLabel: "test", staleAfter: 15, lostAfter: 60, canFlush: true)
        board.ingest([Self.member(1, hits: 1, misses: 1), Self.member(2, hits: 1, misses: 1)], now: Self.start)
        board.ingest([Self.member(1, hits: 2, misses: 1)], now: Self.start + 20)
        #expect(board.rows(now: Self.start + 20).map(\.presence) == [.up, .stale])
        board.ingest([Self.member(1, hits: 3, misses: 1), Self.member(2, hits: 1, misses: 1, beatAge: 70_000)], now: Self.start + 70)
        let totals = FleetBoard.totals(board.rows(now: Self.start + 70))
        #expect((totals.up, totals.stale, totals.lost) == (1, 0, 1))
    }

    /// Outliers against the median of the instances that are up: a low hit ratio, bloated
    /// entries, a task count that only rises and a lagging bus are flagged; the others are not.
    @Test func outliersAreFlaggedAgainstTheMedian() {
        var board = FleetBoard(sourceLabel: "test", canFlush: true)
        func poll(_ step: Int) -> [FleetMember] {
            let gets = 1_000 * step
            return [
                Self.member(1, hits: gets * 9 / 10, misses: gets / 10, lag: 20),
                Self.member(2, hits: gets * 9 / 10, misses: gets / 10, lag: 30),
                Self.member(3, hits: gets / 2, misses: gets / 2, lag: 25),
                Self.member(4, hits: gets * 9 / 10, misses: gets / 10, resident: 900_000_000, lag: 20),
                Self.member(5, hits: gets * 9 / 10, misses: gets / 10, tasks: 3 + 20 * step, lag: 20),
                Self.member(6, hits: gets * 9 / 10, misses: gets / 10, lag: 5_000),
            ]
        }
        for step in 0..<6 { board.ingest(poll(step), now: Self.start + Double(step) * 5) }
        let flags = board.rows(now: Self.start + 25).map(\.flags)
        #expect(flags == [[], [], [.hitRatio], [.bytesPerEntry], [.tasksRising], [.busLag]])
    }

    /// Fewer than three instances up: no median to stand out from, so no outlier flag; an
    /// unverified bus is flagged all the same.
    @Test func withoutAFleetOnlyAnUnverifiedBusIsFlagged() {
        var board = FleetBoard(sourceLabel: "test", canFlush: true)
        board.ingest([Self.member(1, hits: 0, misses: 0), Self.member(2, hits: 0, misses: 0, lag: 0, verified: false)], now: Self.start)
        board.ingest([Self.member(1, hits: 100, misses: 0), Self.member(2, hits: 0, misses: 100, lag: 0, verified: false)], now: Self.start + 5)
        #expect(board.rows(now: Self.start + 5).map(\.flags) == [[], [.busLag]])
    }

    /// Keys: selection moves and sticks to its instance; Enter opens it; S asks, then sweeps
    /// every instance not lost; F asks, then flushes the selected row's namespace; read-only
    /// refuses both; a flush without the registry is explained.
    @Test func keysSelectOpenAndConfirmFleetActions() {
        var board = FleetBoard(sourceLabel: "test", canFlush: true)
        let members = [Self.member(1, hits: 1, misses: 1, lag: 0), Self.member(2, hits: 1, misses: 1, lag: 0)]
        board.ingest(members, now: Self.start)
        let now = Self.start
        #expect(board.handle(.enter, now: now) == [.drill(members[0])])
        _ = board.handle(.down, now: now)
        #expect(board.handle(.enter, now: now) == [.drill(members[1])])
        _ = board.handle(.character("k"), now: now)
        #expect(board.selectedKey == FleetBoard.key(of: members[0]))

        #expect(board.handle(.character("S"), now: now).isEmpty)
        #expect(board.confirmation?.question == "sweep expired entries on 2 instances?")
        #expect(board.handle(.character("y"), now: now) == [.sweep(members)])
        #expect(board.handle(.character("F"), now: now).isEmpty)
        #expect(board.handle(.character("n"), now: now).isEmpty, "any key but y cancels")
        #expect(board.events.last?.text.hasPrefix("cancelled: flush namespace products") == true)
        _ = board.handle(.character("F"), now: now)
        #expect(board.handle(.character("y"), now: now) == [.flush(namespace: "products")])

        var readOnly = FleetBoard(sourceLabel: "test", readOnly: true, canFlush: true)
        readOnly.ingest(members, now: now)
        #expect(readOnly.handle(.character("S"), now: now).isEmpty)
        #expect(readOnly.confirmation == nil)
        #expect(readOnly.events.last?.isError == true)

        var sockets = FleetBoard(sourceLabel: "test", canFlush: false)
        sockets.ingest(members, now: now)
        #expect(sockets.handle(.character("F"), now: now).isEmpty)
        #expect(sockets.events.last?.text.contains("--db") == true)
    }

    /// The frame: header totals, one row per instance with its flags, the help listing every
    /// fleet key and flag; a small terminal gets a message, not a broken table.
    @Test func frameShowsRowsHeaderAndHelp() {
        var board = FleetBoard(sourceLabel: "registry test", canFlush: true, glyphs: .ascii)
        board.ingest([Self.member(1, hits: 0, misses: 0), Self.member(2, hits: 0, misses: 0, host: "other")], now: Self.start)
        board.ingest([Self.member(1, hits: 90, misses: 10), Self.member(2, hits: 80, misses: 20, host: "other")], now: Self.start + 10)
        let text = FleetView.render(board, width: 120, height: 30, now: Self.start + 10).text()
        #expect(text.contains("2 up 0 stale 0 lost"))
        #expect(text.contains("hit 85.0%"))
        #expect(text.contains("SERVICE") && text.contains("FLAGS"))
        #expect(text.contains("catalog") && text.contains("other"))
        _ = board.handle(.character("?"), now: Self.start + 10)
        let help = FleetView.render(board, width: 120, height: 30, now: Self.start + 10).text()
        for binding in FleetKeyMap.bindings { #expect(help.contains(binding.help)) }
        for flag in FleetOutlier.allCases { #expect(help.contains(flag.help)) }
        #expect(FleetView.render(board, width: 60, height: 10, now: Self.start).text().contains("terminal too small"))
        let keys = FleetKeyMap.bindings.flatMap(\.keys)
        #expect(Set(keys).count == keys.count)
        #expect(Set(FleetKeyMap.bindings.map(\.action)) == Set(FleetAction.allCases))
    }

    @Test func readmeCarriesTheFleetKeyTable() throws {
        let readme = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../README.md"), encoding: .utf8)
        #expect(readme.contains(FleetKeyMap.markdownTable()), "README.md's fleet key table differs from FleetKeyMap")
    }
}
