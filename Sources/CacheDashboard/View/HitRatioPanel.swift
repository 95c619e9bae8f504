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
        buffer.put("100%", x: scale.x, y: scale.y, style: .label)
        if scale.height >= 3 { buffer.put(" 50%", x: scale.x, y: scale.y + scale.height / 2, style: .label) }
        buffer.put("  0%", x: scale.x, y: scale.maxY - 1, style: .label)
        Graph.draw(context.rates.map(\.hitRatio), in: plot, style: context.glyphs.graph, into: &buffer)

        let ratios = context.windowRates.compactMap(\.hitRatio)
        var overall: [(String, String, Style)] = [("window", state.windowHitRatio.map(Format.percent) ?? "-", .highlight)]
        if let lifetime = context.latest?.snapshot.counters.hitRatio { overall.append(("lifetime", Format.percent(lifetime), .value)) }
        var spread: [(String, String, Style)] = []
        if let low = ratios.min(), let high = ratios.max() {
            let average = ratios.reduce(0, +) / Double(ratios.count)
            spread = [("min", Format.percent(low), .value), ("avg", Format.percent(average), .value), ("max", Format.percent(high), .value)]
        }
        if statsRows == 2 {
            buffer.pairs(overall, x: statsRect.x, y: statsRect.y, limit: statsRect.width)
            buffer.pairs(spread, x: statsRect.x, y: statsRect.y + 1, limit: statsRect.width)
        } else {
            buffer.pairs(overall + spread, x: statsRect.x, y: statsRect.y, limit: statsRect.width)
        }
    }
}

/// The expiry queue: entries due per horizon, overdue ones, the last sweep, the next entries.
enum ExpiryPanel {
    static func draw(_ context: FrameContext, in rect: Rect, into buffer: inout CellBuffer) {
        let inner = Panel.draw("Expiry queue", in: rect, glyphs: context.glyphs, into: &buffer)
        guard let latest = context.latest, inner.height >= 1 else { return }
        let due = latest.snapshot.expiry.due
        let sweeps = latest.snapshot.expiry.sweeps
        let horizons: [(String, String, Style)] = [
            ("1s", Format.count(due.nextSecond), .value), ("1m", Format.count(due.nextMinute), .value),
            ("1h", Format.count(due.nextHour), .value), ("1d", Format.count(due.nextDay), .value),
            ("later", Format.count(due.later), .value),
        ]
        var row = inner.y
        let x = buffer.put("due ", x: inner.x, y: row, style: .label)
        buffer.pairs(horizons, x: x, y: row, limit: inner.maxX - x, gap: 1)
        row += 1
        guard row < inner.maxY else { return }
        buffer.pairs([("overdue", Format.count(due.stale), due.stale > 0 ? .warn : .value),
                      ("sweeps", Format.count(sweeps.runs), .value)], x: inner.x, y: row, limit: inner.width)
        row += 1
        guard row < inner.maxY else { return }
        let last = sweeps.last
        buffer.pairs([("last sweep", Format.duration(nanoseconds: last.durationNanoseconds), .value),
                      ("examined", Format.count(last.examined), .value), ("removed", Format.count(last.removed), .value)],
                     x: inner.x, y: row, limit: inner.width, gap: 1)
        row += 1
        guard row < inner.maxY else { return }
        if latest.expiring.isEmpty {
            buffer.put("no entry has a deadline", x: inner.x, y: row, style: .label)
            return
        }
        buffer.put("next to expire", x: inner.x, y: row, style: .label)
        row += 1
        let elapsed = max(0, context.now - latest.time)
        for entry in latest.expiring where row < inner.maxY {
            let left = Double(entry.timeLeftMilliseconds) / 1e3 - elapsed
            let countdown = left > 0 ? "in " + Format.seconds(left) : "due"
            let keyWidth = inner.width - 10
            buffer.put(entry.key.truncated(keyWidth, ellipsis: context.glyphs.ellipsis), x: inner.x, y: row)
            buffer.put(countdown.leftPadded(9), x: inner.maxX - 9, y: row, style: left > 0 ? .value : .warn)
            row += 1
        }
    }
}

/// The event log, newest at the bottom.
enum EventPanel {
    static func draw(_ context: FrameContext, in rect: Rect, into buffer: inout CellBuffer) {
        let inner = Panel.draw("Events", in: rect, glyphs: context.glyphs, into: &buffer)
        guard inner.height > 0 else { return }
        let shown = context.state.events.events.suffix(inner.height)
        for (offset, event) in shown.enumerated() {
            let y = inner.y + offset
            let x = buffer.put(FrameContext.clock(event.time) + " ", x: inner.x, y: y, style: .label)
            buffer.put(event.text.truncated(inner.maxX - x, ellipsis: context.glyphs.ellipsis), x: x, y: y,
                       style: event.isError ? Style(.alarm, bold: true) : .plain)
        }
    }
}
