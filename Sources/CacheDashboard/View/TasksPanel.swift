/// Live background tasks by kind and the load table, each with a sparkline over the window;
/// a count that has only risen is flagged.
enum TasksPanel {
    static let standardKinds = ["sweeper", "loader", "connection", "workload"]

    static func kinds(_ context: FrameContext) -> [String] {
        var kinds = standardKinds
        for kind in (context.latest?.snapshot.tasks.keys.sorted() ?? []) where !kinds.contains(kind) { kinds.append(kind) }
        return kinds
    }

    static func rowCount(_ context: FrameContext) -> Int { kinds(context).count + 2 }

    static func draw(_ context: FrameContext, in rect: Rect, into buffer: inout CellBuffer) {
        let inner = Panel.draw("Tasks", in: rect, glyphs: context.glyphs, into: &buffer)
        guard inner.height > 0 else { return }
        let recent = Array(context.history.suffix(context.state.samplesInWindow))
        var rows: [(String, [Int])] = kinds(context).map { kind in (kind, recent.map { $0.snapshot.tasks[kind] ?? 0 }) }
        rows.append(("in-flight loads", recent.map(\.snapshot.loads.inFlight)))
        rows.append(("load waiters", recent.map(\.snapshot.loads.waiters)))
        let labelWidth = 16
        let valueWidth = 7
        let flagWidth = 7
        let sparkWidth = max(0, inner.width - labelWidth - valueWidth - flagWidth)
        for (offset, (name, series)) in rows.enumerated() where offset < inner.height {
            let y = inner.y + offset
            let label = name == "workload" ? "load generator" : name == "loader" ? "loaders" : name == "connection" ? "connections" : name
            buffer.put(label.padded(labelWidth), x: inner.x, y: y, style: .label)
            let value = series.last ?? 0
            buffer.put(Format.count(value).leftPadded(valueWidth - 1), x: inner.x + labelWidth, y: y, style: .value)
            Sparkline(series.map(Double.init), style: context.glyphs.graph, color: Style(.graphMid))
                .render(in: Rect(x: inner.x + labelWidth + valueWidth, y: y, width: sparkWidth, height: 1), into: &buffer)
            if context.state.suspectedLeaks.contains(name) {
                buffer.put(" \(context.glyphs.rising)leak?", x: inner.maxX - flagWidth, y: y, style: .alarm)
            }
        }
    }
}

/// Evictions by cause, load latency, memory, threads and descriptors; with room, writes and
