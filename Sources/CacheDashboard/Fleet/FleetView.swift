import CacheVocabulary

/// Draws the fleet screen from a ``FleetBoard``: two header lines of fleet totals, a table with
/// one row per instance, the latest outcome lines and the key hints. Pure, as
/// ``DashboardView`` is: the same board, size and `now` give the same frame, which batch mode
/// prints. O(width × height).
public enum FleetView {
    public static let minimumWidth = 80
    public static let minimumHeight = 12

    /// One table column: its title, width, which columns go first on a narrow terminal, and
    /// its text for a row.
    struct Column: Sendable {
        var title: String
        var width: Int
        var priority: Int
        var rightAligned = true
        var value: @Sendable (FleetRow) -> String
    }

    static let columns: [Column] = [
        Column(title: "SERVICE", width: 10, priority: 1, rightAligned: false) { row in row.member.service },
        Column(title: "HOST", width: 12, priority: 2, rightAligned: false) { row in row.member.host },
        Column(title: "PID", width: 7, priority: 1) { row in "\(row.member.pid)" },
        Column(title: "CACHE", width: 9, priority: 1, rightAligned: false) { row in row.member.cache },
        Column(title: "UPTIME", width: 7, priority: 4) { row in
            row.member.summary.uptimeMilliseconds.map { Format.seconds(Double($0) / 1_000) } ?? "-"
        },
        Column(title: "HIT", width: 6, priority: 1) { row in row.hitRatio.map(Format.percent) ?? "-" },
        Column(title: "GETS/S", width: 8, priority: 2) { row in row.getsPerSecond.map { Format.count($0.rounded()) } ?? "-" },
        Column(title: "ENTRIES/CAP", width: 13, priority: 2) { row in
            "\(Format.count(row.member.summary.count))/\(Format.count(row.member.summary.capacity))"
        },
        Column(title: "RSS", width: 8, priority: 3) { row in Format.bytes(row.member.summary.residentBytes) },
        Column(title: "TASKS", width: 6, priority: 1) { row in "\(row.member.summary.totalTasks)" },
        Column(title: "LOADS", width: 6, priority: 4) { row in "\(row.member.summary.loadsInFlight)" },
        Column(title: "BUS", width: 11, priority: 2) { row in row.member.summary.coherence?.summary ?? "-" },
        Column(title: "LAG", width: 7, priority: 3) { row in
            row.member.summary.coherence.map { Format.seconds(Double($0.lagMilliseconds) / 1_000) } ?? "-"
        },
        Column(title: "BEAT", width: 6, priority: 1) { row in Format.seconds(row.reportAge) },
    ]

    /// The columns that fit `width` beside the flags, in table order.
    static func shownColumns(width: Int) -> [Column] {
        var budget = width - 2 - 12
        var chosen = Set<String>()
        for column in columns.sorted(by: { $0.priority < $1.priority }) where column.width + 1 <= budget {
            chosen.insert(column.title)
            budget -= column.width + 1
        }
        return columns.filter { chosen.contains($0.title) }
    }

    public static func render(_ board: FleetBoard, width: Int, height: Int, now: Double) -> CellBuffer {
        var buffer = CellBuffer(width: width, height: height)
        guard width >= minimumWidth, height >= minimumHeight else {
            let line = "terminal too small: need \(minimumWidth)x\(minimumHeight), have \(width)x\(height); q quits"
            buffer.put(line, x: 0, y: 0, style: .warn)
            return buffer
        }
        let glyphs = board.glyphs
        let rows = board.rows(now: now)
        let totals = FleetBoard.totals(rows)
        drawHeader(board, totals: totals, width: width, now: now, into: &buffer)

        let shown = shownColumns(width: width)
        var x = 2
        for column in shown {
            let title = column.rightAligned ? column.title.leftPadded(column.width) : column.title.padded(column.width)
            x = buffer.put(title, x: x, y: 3, style: .title) + 1
        }
        buffer.put("FLAGS", x: x, y: 3, style: .title)

        let eventRows = min(6, max(1, board.events.events.count))
        let tableTop = 4
        let tableBottom = height - 1 - eventRows - 1
        let capacity = max(0, tableBottom - tableTop)
        let selectedIndex = board.selectedKey.flatMap { key in rows.firstIndex { FleetBoard.key(of: $0.member) == key } } ?? 0
        let first = max(0, min(selectedIndex - capacity + 1, rows.count - capacity))
        for (offset, row) in rows.dropFirst(first).prefix(capacity).enumerated() {
            let y = tableTop + offset
            let isSelected = first + offset == selectedIndex
            var style: Style = row.presence == .up ? .plain : row.presence == .stale ? Style(.warn) : .label
            if isSelected {
                style.reverse = true
                buffer.fill(Rect(x: 0, y: y, width: width, height: 1), style: style)
                buffer.put(glyphs.unicode ? "›" : ">", x: 0, y: y, style: style)
            }
            var column = 2
            for spec in shown {
                let text = spec.value(row).truncated(spec.width, ellipsis: glyphs.ellipsis)
                column = buffer.put(spec.rightAligned ? text.leftPadded(spec.width) : text.padded(spec.width), x: column, y: y, style: style) + 1
            }
            var flags = row.flags.map(\.rawValue)
            if row.presence != .up { flags.insert(row.presence.rawValue, at: 0) }
            if !flags.isEmpty {
                var flagStyle = row.flags.isEmpty ? style : Style(.alarm, bold: true)
                flagStyle.reverse = flagStyle.reverse || isSelected
                buffer.put(flags.joined(separator: ","), x: column, y: y, style: flagStyle, limit: width - column)
            }
        }
        if rows.isEmpty {
            buffer.put(board.lastPoll == nil ? "waiting for the first poll" : "no instance found", x: 2, y: tableTop, style: .label)
        } else if rows.count > capacity {
            buffer.put("\(rows.count - capacity) more: \(FleetKeyMap.bindings[2].keys[0].label)/\(FleetKeyMap.bindings[3].keys[0].label) scroll",
                       x: 2, y: tableBottom, style: .label)
        }

        for (offset, event) in board.events.events.suffix(eventRows).enumerated() {
            let y = height - 1 - eventRows + offset
            let text = FrameContext.clock(event.time) + " " + event.text
            buffer.put(text.truncated(width, ellipsis: glyphs.ellipsis), x: 0, y: y, style: event.isError ? Style(.alarm, bold: true) : .label)
        }
        drawFooter(board, width: width, y: height - 1, into: &buffer)
        if board.showHelp { drawHelp(board, width: width, height: height, into: &buffer) }
        return buffer
    }

    private static func drawHeader(_ board: FleetBoard, totals: FleetTotals, width: Int, now: Double, into buffer: inout CellBuffer) {
        let separator = board.glyphs.separator
        let processes = "\(totals.processes) process\(totals.processes == 1 ? "" : "es")"
        let caches = totals.up + totals.stale + totals.lost
        let counts = separator + processes + ", \(caches) cache\(caches == 1 ? "" : "s"): "
        let presence = "\(totals.up) up \(totals.stale) stale \(totals.lost) lost" + (board.readOnly ? separator + "READ-ONLY" : "")
        var x = buffer.put("cachetop fleet", x: 0, y: 0, style: .title)
        // The source's label gives way to the counts on a narrow terminal.
        let room = width - x - separator.count - counts.count - presence.count
        if room > 4 {
            x = buffer.put(separator + board.sourceLabel.truncated(room, ellipsis: board.glyphs.ellipsis), x: x, y: 0, style: .label)
        }
        x = buffer.put(counts, x: x, y: 0, style: .label)
        x = buffer.put("\(totals.up) up", x: x, y: 0, style: .ok)
        x = buffer.put(" \(totals.stale) stale", x: x, y: 0, style: totals.stale > 0 ? .warn : .label)
        x = buffer.put(" \(totals.lost) lost", x: x, y: 0, style: totals.lost > 0 ? Style(.alarm, bold: true) : .label)
        if board.readOnly { buffer.put(separator + "READ-ONLY", x: x, y: 0, style: .warn) }

        if let problem = board.pollProblem {
            buffer.put("poll failed: \(problem)".truncated(width, ellipsis: board.glyphs.ellipsis), x: 0, y: 1, style: Style(.alarm, bold: true))
            return
        }
        let parts: [(String, String)] = [
            ("hit", (totals.hitRatio.map(Format.percent) ?? "-") + " (Σhits÷Σgets, \(Format.seconds(board.window)))"),
            ("gets", Format.rate(totals.getsPerSecond)),
            ("entries", "\(Format.count(totals.entries))/\(Format.count(totals.capacity))"),
            ("rss", Format.bytes(totals.residentBytes)),
            ("tasks", "\(totals.tasks)"),
            ("loads", "\(totals.loadsInFlight)"),
        ]
        var column = 0
        for (label, value) in parts {
            let needed = label.count + value.count + 1 + separator.count
            if column + needed > width { break }
            if column > 0 { column = buffer.put(separator, x: column, y: 1, style: .label) }
            column = buffer.put(label + " ", x: column, y: 1, style: .label)
            column = buffer.put(value, x: column, y: 1, style: .value)
        }
    }

    private static func drawFooter(_ board: FleetBoard, width: Int, y: Int, into buffer: inout CellBuffer) {
        if let confirmation = board.confirmation {
            let x = buffer.put(confirmation.question.truncated(width - 5, ellipsis: board.glyphs.ellipsis), x: 0, y: y, style: .warn)
            buffer.put(" y/N", x: x, y: y, style: .highlight)
            return
        }
        var x = 0
        for binding in FleetKeyMap.bindings {
            let key = binding.keys[0].label
            if x + key.count + binding.short.count + 3 > width { break }
            let dimmed = binding.action.isMutating && (board.readOnly || (binding.action == .flushNamespace && !board.canFlush))
            x = buffer.put(key, x: x, y: y, style: dimmed ? .label : .highlight)
            x = buffer.put(" " + binding.short + "  ", x: x, y: y, style: .label)
        }
    }

    private static func drawHelp(_ board: FleetBoard, width: Int, height: Int, into buffer: inout CellBuffer) {
        let keyLabels = FleetKeyMap.bindings.map { $0.keys.map(\.label).joined(separator: ", ") }
        let keyWidth = keyLabels.map(\.count).max() ?? 0
        var lines: [(String, String)] = zip(keyLabels, FleetKeyMap.bindings.map(\.help)).map { ($0, $1) }
        lines.append(("", ""))
        lines += FleetOutlier.allCases.map { ("flag " + $0.rawValue, $0.help) }
        let boxWidth = min(width - 4, keyWidth + 4 + (lines.map(\.1.count).max() ?? 0) + 2)
        let boxHeight = min(height - 2, lines.count + 4)
        let box = Rect(x: (width - boxWidth) / 2, y: (height - boxHeight) / 2, width: boxWidth, height: boxHeight)
        buffer.fill(box)
        let inner = Panel.draw("Fleet keys", in: box, glyphs: board.glyphs, into: &buffer)
        for (offset, line) in lines.enumerated() where offset < inner.height - 1 {
            let x = buffer.put(line.0.padded(keyWidth + 2), x: inner.x + 1, y: inner.y + offset, style: .highlight)
            buffer.put(line.1, x: x, y: inner.y + offset, style: .plain, limit: inner.maxX - x)
        }
        buffer.put("any other key closes this help", x: inner.x + 1, y: inner.maxY - 1, style: .label)
    }
}
