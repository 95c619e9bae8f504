/// sweep totals too.
enum MemoryPanel {
    static let minimumHeight = 6
    /// Border and every figure row.
    static let wantedHeight = 9

    static func draw(_ context: FrameContext, in rect: Rect, into buffer: inout CellBuffer) {
        let inner = Panel.draw("Evictions, loads, process", in: rect, glyphs: context.glyphs, into: &buffer)
        guard let latest = context.latest, inner.height > 0 else { return }
        let snapshot = latest.snapshot
        let rates = context.current ?? Rates()
        let evictions = snapshot.counters.evictions
        var rows: [[(String, String, Style)]] = [
            [("evicted", "size " + Format.count(evictions.size), .value), ("", "expired " + Format.count(evictions.expired), .value),
             ("", "explicit " + Format.count(evictions.explicit), .value), ("", Format.rate(rates.evictions), .label)],
        ]
        let latency = snapshot.loads.latency
        rows.append([("load", "p50 " + Format.duration(nanoseconds: latency.p50Nanoseconds, ascii: !context.glyphs.unicode), .value),
                     ("", "p99 " + Format.duration(nanoseconds: latency.p99Nanoseconds, ascii: !context.glyphs.unicode), .value),
                     ("", "max " + Format.duration(nanoseconds: latency.maxNanoseconds, ascii: !context.glyphs.unicode), .value),
                     ("failed", Format.count(snapshot.loads.failures), snapshot.loads.failures > 0 ? .warn : .value)])
        if let latency = context.state.objectives.loadLatency, let objective = context.objectivePair("load " + latency.label, showingFigure: true) {
            rows[rows.count - 1].insert(("\(latency.label) \(context.state.window.label)", objective.1, objective.2), at: 0)
        }
        let perEntry = snapshot.count > 0 ? Format.bytes(snapshot.process.residentBytes / snapshot.count) + "/entry" : "-"
        rows.append([("RSS", Format.bytes(snapshot.process.residentBytes), .value), ("", perEntry, .value)])
        if let objective = context.objectivePair("memory", showingFigure: true) { rows[rows.count - 1].append(objective) }
        rows.append([("threads", Format.count(snapshot.process.threads), .value),
                     ("fds", Format.count(snapshot.process.openFileDescriptors), .value)])
        let counters = snapshot.counters
        rows.append([("puts", Format.count(counters.puts), .value), ("replaced", Format.count(counters.replaced), .value),
                     ("rejected", Format.count(counters.admissionsRejected), .value)])
        rows.append([("loads ok", Format.count(snapshot.loads.successes), .value),
                     ("absent hits", Format.count(counters.absentHits), .value)])
        let sweeps = snapshot.expiry.sweeps
        rows.append([("swept", Format.count(sweeps.totalRemoved), .value), ("of examined", Format.count(sweeps.totalExamined), .value)])
        for (offset, items) in rows.enumerated() where offset < inner.height {
            buffer.pairs(items, x: inner.x, y: inner.y + offset, limit: inner.width, gap: 1)
        }
    }
}
