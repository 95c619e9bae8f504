/// History graphs for what a large terminal has room for: operations and evictions per second,
/// the interval's load p99 and the resident memory, each scaled to its own maximum on screen.
/// With room for them, each series gets a label row and a graph; otherwise one sparkline row.
enum TrendsPanel {
    /// The smallest height worth drawing: a border and the four sparkline rows.
    static let minimumHeight = 6

    static func draw(_ context: FrameContext, in rect: Rect, into buffer: inout CellBuffer) {
        let inner = Panel.draw("History\(context.glyphs.separator)each to its own maximum", in: rect, glyphs: context.glyphs,
                               into: &buffer)
        guard inner.height >= 4, inner.width >= 24 else { return }
        let ascii = !context.glyphs.unicode
        let series: [(label: String, values: [Double?], format: (Double) -> String)] = [
            ("ops/s", context.rates.map(\.operations), { Format.count($0.rounded()) }),
            ("evictions/s", context.rates.map(\.evictions), { Format.count($0.rounded()) }),
            ("load p99", context.rates.map(\.loadP99Nanoseconds), { Format.duration(nanoseconds: Int64($0), ascii: ascii) }),
            ("RSS", context.history.map { Double($0.snapshot.process.residentBytes) }, { Format.bytes(Int($0)) }),
        ]
        let rowsEach = inner.height / series.count
        for (index, item) in series.enumerated() {
            let top = inner.y + index * rowsEach
            let known = item.values.compactMap { $0 }
            let peak = max(known.suffix(Graph.capacity(width: inner.width, style: context.glyphs.graph)).max() ?? 0, 1e-9)
            let now = known.last.map(item.format) ?? "-"
            if rowsEach >= 2 {
                buffer.pairs([(item.label, now, .highlight), ("max", known.isEmpty ? "-" : item.format(peak), .value)],
                             x: inner.x, y: top, limit: inner.width)
                Graph(item.values.map { $0.map { $0 / peak } }, style: context.glyphs.graph)
                    .render(in: Rect(x: inner.x, y: top + 1, width: inner.width, height: rowsEach - 1), into: &buffer)
            } else {
                let x = buffer.put((item.label + " " + now).padded(22), x: inner.x, y: top, style: .label, limit: 22)
                Graph(item.values.map { $0.map { $0 / peak } }, style: context.glyphs.graph, color: Style(.graphMid))
                    .render(in: Rect(x: x, y: top, width: inner.maxX - x, height: 1), into: &buffer)
            }
        }
    }
}
