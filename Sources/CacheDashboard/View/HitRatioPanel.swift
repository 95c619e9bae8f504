/// The hit ratio per interval as a graph (0 to 100 %), with the window's figures below it.
enum HitRatioPanel {
    static func draw(_ context: FrameContext, in rect: Rect, into buffer: inout CellBuffer) {
        let state = context.state
        let inner = Panel.draw("Hit ratio\(context.glyphs.separator)\(state.window.label) window", in: rect, glyphs: context.glyphs, into: &buffer)
        let statsRows = inner.width < 56 ? 2 : 1
        guard inner.height >= statsRows + 1 else { return }
        let (graphRect, statsRect) = inner.splitTop(inner.height - statsRows)
        // A 4-column scale on the left: 100%, 50%, 0%.
        let (scale, plot) = graphRect.splitLeft(5)
        let scaleStyle = Style(.graphText)
        buffer.put("100%", x: scale.x, y: scale.y, style: scaleStyle)
        if scale.height >= 3 { buffer.put(" 50%", x: scale.x, y: scale.y + scale.height / 2, style: scaleStyle) }
        buffer.put("  0%", x: scale.x, y: scale.maxY - 1, style: scaleStyle)
        Graph(context.rates.map(\.hitRatio), style: context.glyphs.graph).render(in: plot, into: &buffer)

        var overall: [(String, String, Style)] = [("window", state.windowHitRatio.map(Format.percent) ?? "-", .highlight)]
        if let objective = context.objectivePair("hit") { overall.append(objective) }
        if let lifetime = context.latest?.snapshot.counters.hitRatio { overall.append(("lifetime", Format.percent(lifetime), .value)) }
        var spread: [(String, String, Style)] = []
        if let figures = HitRatioSpread(context.windowRates) {
            spread = [("min", Format.percent(figures.minimum), .value), ("avg", Format.percent(figures.average), .value),
                      ("max", Format.percent(figures.maximum), .value)]
        }
        if statsRows == 2 {
            buffer.pairs(overall, x: statsRect.x, y: statsRect.y, limit: statsRect.width)
            buffer.pairs(spread, x: statsRect.x, y: statsRect.y + 1, limit: statsRect.width)
        } else {
            buffer.pairs(overall + spread, x: statsRect.x, y: statsRect.y, limit: statsRect.width)
        }
    }
}
