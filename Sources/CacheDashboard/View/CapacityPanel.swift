/// Fill against capacity (coloured at 80 % and 95 %, an overrun is an alarm), then shard
/// occupancy: one bar per shard when they fit, else a compact grid; skew and the hottest shard.
enum CapacityPanel {
    static func draw(_ context: FrameContext, in rect: Rect, into buffer: inout CellBuffer) {
        guard let latest = context.latest else {
            Panel.draw("Capacity", in: rect, glyphs: context.glyphs, into: &buffer)
            return
        }
        let snapshot = latest.snapshot
        let fill = snapshot.capacity > 0 ? Double(snapshot.weightedSize) / Double(snapshot.capacity) : 0
        let overrun = snapshot.weightedSize > snapshot.capacity
        let inner = Panel.draw("Capacity\(context.glyphs.separator)\(snapshot.shards.count) shards", in: rect, glyphs: context.glyphs, into: &buffer,
                               badge: overrun ? ("OVERRUN", .alarm) : nil)
        guard inner.height >= 2 else { return }
        var row = inner.y
        func meter(_ label: String, _ used: Int, _ fraction: Double) {
            // The figures take what they need and the meter the rest; when both do not fit, the
            // capacity goes first (it is in the panel's other figures), then the meter.
            var figures = " \(Format.count(used))/\(Format.count(snapshot.capacity)) \(Format.percent(fraction))"
            if 8 + 8 + figures.count > inner.width { figures = " \(Format.count(used)) \(Format.percent(fraction))" }
            let meterWidth = max(0, inner.width - 8 - figures.count)
            let x = buffer.put(label.padded(8), x: inner.x, y: row, style: .label)
            if meterWidth > 0 {
                Meter(fraction, glyphs: context.glyphs, style: Meter.levelStyle(fraction))
                    .render(in: Rect(x: x, y: row, width: meterWidth, height: 1), into: &buffer)
            }
            buffer.put(figures.truncated(inner.maxX - x - meterWidth, ellipsis: context.glyphs.ellipsis), x: x + meterWidth, y: row,
                       style: Meter.levelStyle(fraction).bold ? Meter.levelStyle(fraction) : .value)
            row += 1
        }
        if snapshot.capacityUnit == .cost {
            meter("cost", snapshot.weightedSize, fill)
            let x = buffer.put("entries ".padded(8), x: inner.x, y: row, style: .label)
            buffer.put(Format.count(snapshot.count), x: x, y: row, style: .value)
            row += 1
        } else {
            meter("entries", snapshot.count, fill)
        }
        guard row < inner.maxY, !snapshot.shards.isEmpty else { return }
        let figures = context.shardFigures ?? ShardFigures(latest: snapshot, previous: nil)
        let hottest = figures.hottest
        var summary: [(String, String, Style)] = [
            ("skew", Format.fixed(figures.skew, 2), figures.skew > 1.5 ? .warn : .value),
            ("hottest", hottest.map { "#\($0)" } ?? "-", .highlight),
            ("policy", snapshot.policy.rawValue, .value)]
        if snapshot.policy == .windowTinyLFU {
            summary.append(("margin", "\(figures.raisedMargins)/\(snapshot.shards.count)", figures.raisedMargins > 0 ? .highlight : .value))
        }
        buffer.pairs(summary, x: inner.x, y: row, limit: inner.width)
        row += 1
        let rows = inner.maxY - row
        guard rows > 0 else { return }
        if snapshot.shards.count <= rows {
            for shard in snapshot.shards {
                let fraction = shard.capacity > 0 ? Double(shard.weightedSize) / Double(shard.capacity) : 0
                let marker = shard.index == hottest ? "*" : " "
                let x = buffer.put("\(marker)#\(shard.index)".padded(5), x: inner.x, y: row, style: shard.index == hottest ? .highlight : .label)
                let figures = " \(Format.count(shard.count)) \(Format.percent(fraction))"
                let width = max(0, inner.maxX - x - figures.count)
                Meter(fraction, glyphs: context.glyphs, style: Meter.levelStyle(fraction))
                    .render(in: Rect(x: x, y: row, width: width, height: 1), into: &buffer)
                buffer.put(figures.truncated(inner.maxX - x - width, ellipsis: context.glyphs.ellipsis), x: x + width, y: row, style: .value)
                row += 1
            }
        } else {
            // Compact grid: one cell per shard, its height the shard's fill; the hottest reversed.
            let perRow = max(1, inner.width - 1)
            for shard in snapshot.shards {
                let position = shard.index
                let y = row + position / perRow
                guard y < inner.maxY else {
                    buffer.put(context.glyphs.ellipsis, x: inner.maxX - 1, y: inner.maxY - 1, style: .label)
                    break
                }
                let fraction = shard.capacity > 0 ? Double(shard.weightedSize) / Double(shard.capacity) : 0
                var style = Meter.levelStyle(fraction)
                if shard.index == hottest { style = Style(.hiFg, bold: true, reverse: true) }
                buffer[inner.x + position % perRow, y] = Cell(context.glyphs.level(max(1, Int((fraction * 8).rounded()))), style: style)
            }
        }
    }

    /// Border, meter rows, the skew row, and one row per shard (or grid rows).
    static func wantedHeight(_ context: FrameContext) -> Int {
        let shards = context.latest?.snapshot.shards.count ?? 8
        let meters = context.latest?.snapshot.capacityUnit == .cost ? 2 : 1
        return 2 + meters + 1 + min(shards, 32)
    }
}
