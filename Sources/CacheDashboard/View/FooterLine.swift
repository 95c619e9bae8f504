/// The bottom row: a pending confirmation, the capacity prompt, a recent event, or the key hints.
enum FooterLine {
    static func draw(_ context: FrameContext, in rect: Rect, into buffer: inout CellBuffer) {
        let state = context.state
        if let confirmation = state.confirmation {
            let question = confirmation.question.truncated(max(1, rect.width - 5), ellipsis: context.glyphs.ellipsis)
            let x = buffer.put(question, x: rect.x, y: rect.y, style: .warn)
            buffer.put(" y/N", x: x, y: rect.y, style: .highlight)
            return
        }
        if let prompt = state.prompt {
            let x = buffer.put(state.promptKind.label, x: rect.x, y: rect.y, style: .highlight)
            let shown = String(prompt.suffix(max(1, rect.maxX - x - 30)))
            let after = buffer.put(shown + "_", x: x, y: rect.y, style: .value)
            buffer.put(state.promptKind == .capacity ? "  Enter applies, Esc cancels" : "  Enter looks it up, Esc cancels",
                       x: after, y: rect.y, style: .label)
            return
        }
        if case .disconnected(_, let reason, let nextRetry) = state.connection {
            let wait = max(0, nextRetry - context.now)
            buffer.put("disconnected: \(reason)\(context.glyphs.separator)retrying in \(Format.seconds(wait))".truncated(rect.width, ellipsis: context.glyphs.ellipsis),
                       x: rect.x, y: rect.y, style: Style(.alarm, bold: true))
            return
        }
        if let event = state.events.last, context.now - event.time < 5 {
            buffer.put(event.text.truncated(rect.width, ellipsis: context.glyphs.ellipsis), x: rect.x, y: rect.y,
                       style: event.isError ? Style(.alarm, bold: true) : .highlight)
            return
        }
        var x = rect.x
        for binding in KeyMap.bindings where (!binding.replayOnly || state.mode == .replay) && (binding.action != .back || state.escapeReturns) {
            let key = binding.keys[0].label
            let dimmed = binding.action.isMutating && (state.isReadOnly || state.mode == .replay)
            let needed = key.count + binding.short.count + 3
            if x + needed > rect.maxX { break }
            x = buffer.put(key, x: x, y: rect.y, style: dimmed ? .label : .highlight)
            x = buffer.put(" " + binding.short + "  ", x: x, y: rect.y, style: .label)
        }
    }
}
