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
        buffer.pairs([("last sweep", Format.duration(nanoseconds: last.durationNanoseconds, ascii: !context.glyphs.unicode), .value),
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
