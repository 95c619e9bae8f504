@testable import CacheDashboard
import CacheVocabulary
import Testing

/// Each widget against the buffer alone: what it draws in its area, and that nothing outside
/// the area changes.
@Suite struct WidgetTests {
    /// A buffer filled with `~`, so that untouched cells show.
    func canvas(_ width: Int, _ height: Int) -> CellBuffer {
        var buffer = CellBuffer(width: width, height: height)
        for y in 0..<height { buffer.put(String(repeating: "~", count: width), x: 0, y: y) }
        return buffer
    }

    @Test func meterFillsItsShareInEighths() {
        var buffer = canvas(12, 1)
        Meter(0.5, glyphs: .ascii, style: .ok).render(in: Rect(x: 1, y: 0, width: 10, height: 1), into: &buffer)
        #expect(buffer.line(0) == "~#####.....~")
        var full = canvas(6, 1)
        Meter(1.7, glyphs: .ascii, style: .ok).render(in: Rect(x: 0, y: 0, width: 6, height: 1), into: &full)
        #expect(full.line(0) == "######", "clamped to the area")
        var zero = canvas(4, 1)
        Meter(.nan, glyphs: .ascii, style: .ok).render(in: Rect(x: 0, y: 0, width: 4, height: 1), into: &zero)
        #expect(zero.line(0) == "....")
    }

    @Test func graphDrawsNewestOnTheRightAndGapsAsSpace() {
        var buffer = canvas(6, 2)
        Graph([1, nil, 0.5, 0], style: .ascii).render(in: Rect(x: 1, y: 0, width: 4, height: 2), into: &buffer)
        #expect(buffer.line(0) == "~#   ~")
        #expect(buffer.line(1) == "~# # ~")
        var braille = CellBuffer(width: 2, height: 1)
        Graph([1, 1, 0, 0], style: .braille).render(in: Rect(x: 0, y: 0, width: 2, height: 1), into: &braille)
        #expect(braille.line(0) == "⣿ ", "two samples per column, an empty cell is a space")
    }

    @Test func sparklineScalesToItsMaximum() {
        var buffer = CellBuffer(width: 4, height: 1)
        Sparkline([1, 2, 4, 8], style: .blocks, color: .value).render(in: Rect(x: 0, y: 0, width: 4, height: 1), into: &buffer)
        #expect(buffer.line(0) == "▁▂▄█")
        var fixed = CellBuffer(width: 2, height: 1)
        Sparkline([4, 8], style: .blocks, maximum: 16, color: .value).render(in: Rect(x: 0, y: 0, width: 2, height: 1), into: &fixed)
        #expect(fixed.line(0) == "▂▄")
    }

    @Test func panelDrawsItsBorderAndClipsItsTitle() {
        var buffer = canvas(12, 4)
        Panel("A long title", glyphs: .ascii).render(in: Rect(x: 1, y: 0, width: 10, height: 3), into: &buffer)
        #expect(buffer.line(0) == "~+- A lon-+~")
        #expect(buffer.line(1) == "~|~~~~~~~~|~", "the inside is the content's")
        #expect(buffer.line(2) == "~+--------+~")
        #expect(buffer.line(3) == "~~~~~~~~~~~~", "nothing below the area")
        #expect(Panel.inner(Rect(x: 1, y: 0, width: 10, height: 3)) == Rect(x: 2, y: 1, width: 8, height: 1))
        #expect(Panel.inner(Rect(x: 0, y: 0, width: 3, height: 3)).isEmpty, "no room inside")
    }

    @Test func theModelDerivesTheShardFigures() {
        let samples = SampleFactory.sequence(count: 3)
        let figures = ShardFigures(latest: samples[2].snapshot, previous: samples[1].snapshot)
        #expect(figures.hottest == 3, "shard 3 takes twice the reads")
        #expect(figures.skew > 1 && figures.skew < 1.2)
        #expect(figures.raisedMargins == 0)
        var rates = [Rates(), Rates()]
        rates[0].hitRatio = 0.5
        rates[1].hitRatio = 0.9
        let spread = HitRatioSpread(rates)
        #expect(spread?.minimum == 0.5 && spread?.maximum == 0.9 && abs((spread?.average ?? 0) - 0.7) < 1e-9)
        #expect(HitRatioSpread([Rates()]) == nil, "no reads, no spread")
    }
}
