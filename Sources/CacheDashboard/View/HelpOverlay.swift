/// The key map, centred over the frame.
enum HelpOverlay {
    static func draw(_ context: FrameContext, in screen: Rect, into buffer: inout CellBuffer) {
        let state = context.state
        let bindings = KeyMap.bindings.filter { (!$0.replayOnly || state.mode == .replay) && ($0.action != .back || state.escapeReturns) }
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
