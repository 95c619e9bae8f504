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
