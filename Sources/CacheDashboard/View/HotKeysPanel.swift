/// The hottest keys, as the policy's frequency sketch estimates them (sampled every few
/// seconds, labelled as an estimate): key, estimated frequency (0 to 15; "-" until the host's
/// sketch counts, when a shard is half full), age, time left.
enum HotKeysPanel {
    /// Border, the column header, and one row per key.
    static func wantedHeight(_ context: FrameContext) -> Int {
        3 + (context.hotKeys?.entries.count ?? 1)
    }

    static func draw(_ context: FrameContext, in rect: Rect, into buffer: inout CellBuffer) {
        let hot = context.hotKeys
        let age = hot.map { Format.seconds(max(0, context.now - $0.time)) + " ago" } ?? "not sampled yet"
        let inner = Panel.draw("Hot keys\(context.glyphs.separator)estimated\(context.glyphs.separator)\(age)",
                               in: rect, glyphs: context.glyphs, into: &buffer)
        guard inner.height >= 1 else { return }
        guard let entries = hot?.entries, !entries.isEmpty else {
            buffer.put(hot == nil ? "sampled every \(Format.seconds(DashboardState.hotKeysInterval))" : "the cache is empty",
                       x: inner.x, y: inner.y, style: .label)
            return
        }
        // Right-aligned columns: frequency (4), age (7), time left (7); the key takes the rest.
        let columns = 4 + 1 + 7 + 1 + 7
        let keyWidth = max(1, inner.width - columns - 1)
        var row = inner.y
        func put(_ key: String, _ frequency: String, _ age: String, _ left: String, style: Style) {
            buffer.put(key.truncated(keyWidth, ellipsis: context.glyphs.ellipsis), x: inner.x, y: row, style: style)
            let figures = frequency.leftPadded(4) + " " + age.leftPadded(7) + " " + left.leftPadded(7)
            buffer.put(figures, x: inner.maxX - columns, y: row, style: style, limit: columns)
            row += 1
        }
        put("key", "freq", "age", "left", style: .label)
        let elapsed = max(0, context.now - (hot?.time ?? context.now))
        for entry in entries where row < inner.maxY {
            let age = entry.ageMilliseconds.map { Format.seconds(Double($0) / 1e3 + elapsed) } ?? "-"
            let left = entry.timeLeftMilliseconds.map { Format.seconds(max(0, Double($0) / 1e3 - elapsed)) } ?? "-"
            put(entry.key, entry.frequency.map { "~\($0)" } ?? "-", age, left, style: .value)
        }
    }
}
