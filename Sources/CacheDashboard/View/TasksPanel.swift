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
            Sparkline.draw(series.map(Double.init), x: inner.x + labelWidth + valueWidth, y: y, width: sparkWidth,
                           style: context.glyphs.graph, into: &buffer, color: Style(.graphMid))
            if context.state.suspectedLeaks.contains(name) {
                buffer.put(" \(context.glyphs.rising)leak?", x: inner.maxX - flagWidth, y: y, style: .alarm)
            }
        }
    }
}

/// Evictions by cause, load latency, memory, threads and descriptors; with room, writes and
/// sweep totals too.
enum MemoryPanel {
    static let minimumHeight = 6

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
        rows.append([("load", "p50 " + Format.duration(nanoseconds: latency.p50Nanoseconds), .value),
                     ("", "p99 " + Format.duration(nanoseconds: latency.p99Nanoseconds), .value),
                     ("", "max " + Format.duration(nanoseconds: latency.maxNanoseconds), .value),
                     ("failed", Format.count(snapshot.loads.failures), snapshot.loads.failures > 0 ? .warn : .value)])
        let perEntry = snapshot.count > 0 ? Format.bytes(snapshot.process.residentBytes / snapshot.count) + "/entry" : "-"
        rows.append([("RSS", Format.bytes(snapshot.process.residentBytes), .value), ("", perEntry, .value)])
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

/// The key map, centred over the frame.
enum HelpOverlay {
    static func draw(_ context: FrameContext, in screen: Rect, into buffer: inout CellBuffer) {
        let state = context.state
        let bindings = KeyMap.bindings.filter { !$0.replayOnly || state.mode == .replay }
        let keyWidth = bindings.map { KeyMap.keyLabels($0).count }.max() ?? 0
        let width = min(screen.width - 4, keyWidth + 4 + (bindings.map(\.help.count).max() ?? 0) + 2)
        let height = min(screen.height - 2, bindings.count + 4)
        let box = Rect(x: (screen.width - width) / 2, y: (screen.height - height) / 2, width: width, height: height)
        buffer.fill(box)
        let inner = Panel.draw("Keys", in: box, glyphs: context.glyphs, into: &buffer)
        for (offset, binding) in bindings.enumerated() where offset < inner.height - 1 {
            let disabled = binding.action.isMutating && (state.isReadOnly || state.mode == .replay)
            let x = buffer.put(KeyMap.keyLabels(binding).padded(keyWidth + 2), x: inner.x + 1, y: inner.y + offset,
                               style: disabled ? .label : .highlight)
            buffer.put(binding.help + (disabled ? " (disabled)" : ""), x: x, y: inner.y + offset, style: disabled ? .label : .plain,
                       limit: inner.maxX - x)
        }
        buffer.put("any other key closes this help", x: inner.x + 1, y: inner.maxY - 1, style: .label)
    }
}
