#if canImport(Glibc)
import Glibc
#endif

/// Lays out and draws a whole frame from a ``DashboardState``. Pure: the same state, size and
/// `now` give the same frame, which is what the golden tests and replay rely on.
/// O(width × height + samples shown).
public enum DashboardView {
    /// The smallest terminal the dashboard draws in.
    public static let minimumWidth = 80
    public static let minimumHeight = 24

    /// The frame for `state` at `width` × `height`, with ages and countdowns measured at `now`
    /// (seconds since the Unix epoch).
    public static func render(_ state: DashboardState, width: Int, height: Int, now: Double) -> CellBuffer {
        var buffer = CellBuffer(width: width, height: height)
        guard width >= minimumWidth, height >= minimumHeight else {
            drawTooSmall(&buffer)
            return buffer
        }
        let context = FrameContext(state: state, now: now)
        let screen = Rect(x: 0, y: 0, width: width, height: height)
        let (header, rest) = screen.splitTop(2)
        let (body, footer) = rest.splitTop(rest.height - 1)
        HeaderPanel.draw(context, in: header, into: &buffer)
        let (left, right) = body.splitLeft(width / 2)

        // Left: hit ratio on top, then the expiry queue, the hot keys when there is room for
        // them beside an event log of at least four rows, then the event log.
        let hitHeight = max(7, body.height * 2 / 5)
        let (hitRect, leftRest) = left.splitTop(hitHeight)
        let expiryWanted = 5 + min(context.latest?.expiring.count ?? 0, max(1, (leftRest.height - 9) / 2))
        let (expiryRect, belowExpiry) = leftRest.splitTop(min(expiryWanted, leftRest.height - 4))
        HitRatioPanel.draw(context, in: hitRect, into: &buffer)
        ExpiryPanel.draw(context, in: expiryRect, into: &buffer)
        let hotHeight = min(HotKeysPanel.wantedHeight(context), belowExpiry.height - 4)
        if hotHeight >= 4 {
            let (hotRect, eventRect) = belowExpiry.splitTop(hotHeight)
            HotKeysPanel.draw(context, in: hotRect, into: &buffer)
            EventPanel.draw(context, in: eventRect, into: &buffer)
        } else {
            EventPanel.draw(context, in: belowExpiry, into: &buffer)
        }

        // Right: capacity and shards, then tasks, then memory and loads.
        // Capacity takes what its shards need; the memory panel gets the rest for detail rows.
        let taskRows = TasksPanel.rowCount(context)
        let memoryHeight = MemoryPanel.minimumHeight
        let taskHeight = min(2 + taskRows, right.height - memoryHeight - 7)
        let capacityHeight = min(CapacityPanel.wantedHeight(context), right.height - taskHeight - memoryHeight)
        let (capacityRect, rightRest) = right.splitTop(capacityHeight)
        let (taskRect, memoryRect) = rightRest.splitTop(taskHeight)
        CapacityPanel.draw(context, in: capacityRect, into: &buffer)
        TasksPanel.draw(context, in: taskRect, into: &buffer)
        // Below the figures, history graphs when a taller terminal leaves room for them.
        if memoryRect.height - MemoryPanel.wantedHeight >= TrendsPanel.minimumHeight {
            let (figures, trends) = memoryRect.splitTop(MemoryPanel.wantedHeight)
            MemoryPanel.draw(context, in: figures, into: &buffer)
            TrendsPanel.draw(context, in: trends, into: &buffer)
        } else {
            MemoryPanel.draw(context, in: memoryRect, into: &buffer)
        }

        FooterLine.draw(context, in: footer, into: &buffer)
        if state.showHelp { HelpOverlay.draw(context, in: screen, into: &buffer) }
        return buffer
    }

    private static func drawTooSmall(_ buffer: inout CellBuffer) {
        let lines = ["terminal too small: need \(minimumWidth)x\(minimumHeight), have \(buffer.width)x\(buffer.height)",
                     "enlarge the window, or press q to quit"]
        for (index, line) in lines.enumerated() {
            let y = buffer.height / 2 - 1 + index
            let x = max(0, (buffer.width - line.count) / 2)
            buffer.put(line, x: x, y: y, style: index == 0 ? .warn : .label)
        }
    }
}

/// What every panel reads while drawing one frame.
struct FrameContext {
    let state: DashboardState
    let now: Double
    let glyphs: Glyphs
    let latest: DashboardSample?
    let history: [DashboardSample]
    let rates: [Rates]
    /// The model's figures of the newest sample's shards.
    let shardFigures: ShardFigures?
    /// Each objective set, judged once for the frame.
    let objectives: [ObjectiveStatus]
    /// The newest hottest-key list shown, found once for the frame.
    let hotKeys: (time: Double, entries: [DashboardSample.HotEntry])?

    init(state: DashboardState, now: Double) {
        self.state = state
        self.now = now
        glyphs = state.glyphs
        history = state.shownHistory
        rates = state.shownRates
        latest = history.last
        let previous = history.count >= 2 ? history[history.count - 2].snapshot : nil
        shardFigures = latest.map { ShardFigures(latest: $0.snapshot, previous: previous) }
        objectives = state.objectiveStatuses
        hotKeys = state.hotKeys
    }

    /// The rates of the newest interval.
    var current: Rates? { rates.last }

    /// The objective `name` as a "slo" pair to draw beside its figure: green when met, an
    /// alarm when breached, plain while there is nothing to judge; nil when not set.
    func objectivePair(_ name: String, showingFigure: Bool = false) -> (String, String, Style)? {
        guard let status = objectives.first(where: { $0.name == name }) else { return nil }
        let style: Style = status.met == false ? .alarm : status.met == true ? Style(.ok) : .label
        return ("slo", (showingFigure ? status.figure + " " : "") + status.target, style)
    }

    /// Rates within the hit-ratio window.
    var windowRates: ArraySlice<Rates> { rates.suffix(max(1, state.samplesInWindow - 1)) }

    /// "12:01:03" for a Unix time, in local time.
    static func clock(_ time: Double) -> String {
        var seconds = time_t(time)
        var parts = tm()
        localtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
    }
}

extension CellBuffer {
    /// Writes "label value" pairs left to right; returns the column after the last.
    @discardableResult
    mutating func pairs(_ items: [(String, String, Style)], x: Int, y: Int, limit: Int, gap: Int = 2) -> Int {
        var column = x
        for (label, value, style) in items {
            let needed = (label.isEmpty ? 0 : label.count + 1) + value.count
            if column + needed > x + limit { break }
            if !label.isEmpty { column = put(label + " ", x: column, y: y, style: .label) }
            column = put(value, x: column, y: y, style: style) + gap
        }
        return column
    }
}

extension String {
    /// Cut to `width` characters, ending in `ellipsis` when cut.
    func truncated(_ width: Int, ellipsis: String) -> String {
        guard count > width else { return self }
        guard width > ellipsis.count else { return String(prefix(max(0, width))) }
        return String(prefix(width - ellipsis.count)) + ellipsis
    }

    func padded(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }

    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
