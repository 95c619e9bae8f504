@testable import CacheDashboard
import Foundation
import Testing

/// Frames rendered into the buffer, compared with reviewed text in Golden/. Set
/// CACHETOP_UPDATE_GOLDEN=1 to rewrite them after an intended change (then review the diff).
@Suite struct GoldenFrameTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    func check(_ name: String, _ frame: CellBuffer, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = Self.directory.appendingPathComponent(name + ".txt")
        let text = frame.text() + "\n"
        if ProcessInfo.processInfo.environment["CACHETOP_UPDATE_GOLDEN"] == "1" {
            try text.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        if text != expected {
            let actual = text.split(separator: "\n", omittingEmptySubsequences: false)
            let golden = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let first = zip(actual, golden).enumerated().first { $0.element.0 != $0.element.1 }
            Issue.record("frame \(name) differs from Golden/\(name).txt at line \((first?.offset ?? min(actual.count, golden.count)) + 1):\n\(text)",
                         sourceLocation: sourceLocation)
        }
    }

    static let sizes = [(80, 24), (120, 40), (200, 60)]

    @Test(arguments: sizes)
    func dashboardAtSize(width: Int, height: Int) throws {
        let samples = SampleFactory.sequence(count: 30)
        let frame = inUTC { DashboardView.render(SampleFactory.state(samples), width: width, height: height, now: samples.last!.time + 0.5) }
        #expect(frame.width == width && frame.height == height)
        try check("dashboard-\(width)x\(height)", frame)
    }

    @Test func tooSmallTerminal() throws {
        let frame = DashboardView.render(SampleFactory.state(SampleFactory.sequence(count: 3)), width: 60, height: 20, now: SampleFactory.start)
        #expect(frame.text().contains("terminal too small: need 80x24, have 60x20"))
        try check("too-small-60x20", frame)
    }

    @Test func asciiHelpOverlayAndBadges() throws {
        let samples = SampleFactory.sequence(count: 12)
        var state = SampleFactory.state(samples, glyphs: .ascii)
        _ = state.handle(.character("p"), now: samples.last!.time)
        _ = state.handle(.character("?"), now: samples.last!.time)
        state.pollFailed("nothing is listening on /tmp/x.sock", at: samples.last!.time, retryAt: samples.last!.time + 2)
        let frame = inUTC { DashboardView.render(state, width: 80, height: 24, now: samples.last!.time + 1) }
        let text = frame.text()
        #expect(text.unicodeScalars.allSatisfy { $0.isASCII }, "--ascii draws ASCII only")
        #expect(text.contains("PAUSED") && text.contains("DISCONNECTED"))
        try check("help-ascii-80x24", frame)
    }

    /// The edge cases at the sizes where they once overflowed, reviewed.
    @Test func edgeFiguresFitTheirPanels() throws {
        let cases: [(String, [DashboardSample], Int, Int)] = [
            ("full", EdgeSamples.full(), 120, 40), ("full", EdgeSamples.full(), 200, 60),
            ("empty", EdgeSamples.empty(), 120, 40), ("huge", EdgeSamples.huge(), 200, 60),
        ]
        for (name, samples, width, height) in cases {
            let frame = inUTC { DashboardView.render(SampleFactory.state(samples), width: width, height: height, now: samples.last!.time + 0.5) }
            try check("\(name)-\(width)x\(height)", frame)
        }
    }

    @Test func manyShardsDrawAsAGrid() throws {
        let samples = (0..<4).map { SampleFactory.sample($0 + 10, shards: 256, capacity: 1_000_000) }
        let frame = inUTC { DashboardView.render(SampleFactory.state(samples), width: 80, height: 24, now: samples.last!.time) }
        try check("grid-256-shards-80x24", frame)
    }

    @Test func everyPanelIsOnTheDefaultScreen() {
        let samples = SampleFactory.sequence(count: 10)
        let text = DashboardView.render(SampleFactory.state(samples), width: 80, height: 24, now: samples.last!.time).text()
        for title in ["Hit ratio", "Capacity", "Expiry queue", "Tasks", "Evictions", "Events"] {
            #expect(text.contains(title), "missing panel \(title)")
        }
        for figure in ["ops", "hit", "miss", "evict", "expire", "load", "pid 4242", "uid 1000"] {
            #expect(text.contains(figure), "missing \(figure)")
        }
    }

    @Test func replayOfARecordingDrawsIdenticalFrames() throws {
        let samples = SampleFactory.sequence(count: 20)
        var live = DashboardState(glyphs: Glyphs(graph: .braille))
        var liveFrames: [CellBuffer] = []
        var recording = Data()
        let encoder = JSONEncoder()
        for sample in samples {
            live.ingest(sample)
            recording.append(try encoder.encode(sample))
            recording.append(UInt8(ascii: "\n"))
            liveFrames.append(DashboardView.render(live, width: 120, height: 40, now: sample.time))
        }
        var replayed = DashboardState(glyphs: Glyphs(graph: .braille))
        for (index, line) in recording.split(separator: UInt8(ascii: "\n")).enumerated() {
            let sample = try JSONDecoder().decode(DashboardSample.self, from: Data(line))
            #expect(sample == samples[index])
            replayed.ingest(sample)
            #expect(DashboardView.render(replayed, width: 120, height: 40, now: sample.time) == liveFrames[index], "frame \(index)")
        }
    }
}

/// No text runs over a panel's border, at any size the goldens cover, for a full cache, an empty
/// one and figures far beyond a demo's.
@Suite struct OverflowTests {
    static let cases: [(String, [DashboardSample])] = [
        ("full", EdgeSamples.full()), ("empty", EdgeSamples.empty()), ("huge", EdgeSamples.huge()),
    ]

    @Test(arguments: GoldenFrameTests.sizes)
    func textStaysInsideEveryPanel(width: Int, height: Int) {
        for (name, samples) in Self.cases {
            for glyphs in [Glyphs(graph: .braille), .ascii] {
                let frame = inUTC { DashboardView.render(SampleFactory.state(samples, glyphs: glyphs), width: width, height: height,
                                                         now: samples.last!.time + 0.5) }
                let rights: Set<String> = glyphs == .ascii ? ["|", "+"] : ["│", "╮", "╯"]
                let lefts: Set<String> = glyphs == .ascii ? ["|", "+"] : ["│", "╭", "╰"]
                for y in 2..<(height - 1) {
                    let line = Array(frame.line(y))
                    let edges = [(width / 2 - 1, rights), (width - 1, rights), (0, lefts), (width / 2, lefts)]
                    for (x, allowed) in edges where !allowed.contains(String(line[x])) {
                        Issue.record("\(name) \(width)x\(height) \(glyphs == .ascii ? "ascii" : "braille"): row \(y) column \(x) is '\(line[x])', not a border:\n\(frame.text())")
                        return
                    }
                }
            }
        }
    }
}
