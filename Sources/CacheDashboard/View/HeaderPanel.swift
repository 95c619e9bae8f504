/// Rows 1 and 2: the target, times and badges; then the rates of the newest interval.
enum HeaderPanel {
    static func draw(_ context: FrameContext, in rect: Rect, into buffer: inout CellBuffer) {
        let state = context.state
        var badges: [(String, Style)] = []
        if state.isPaused { badges.append(("PAUSED", .warn)) }
        if state.isReadOnly { badges.append(("READ-ONLY", Style(.hiFg, bold: true, reverse: true))) }
        if case .disconnected = state.connection { badges.append(("DISCONNECTED", .alarm)) }
        if let bus = context.latest?.snapshot.coherence, !bus.verified, bus.state != .stopped {
            badges.append((bus.serving ? "BUS UNVERIFIED" : "BUS UNVERIFIED: NOT STORING", .alarm))
        }
        let breached = context.objectives.filter { $0.met == false }
        if !breached.isEmpty { badges.append(("SLO BREACH: " + breached.map(\.name).joined(separator: ", "), .alarm)) }
        if state.mode == .replay { badges.append(("REPLAY \(Format.fixed(state.replaySpeed, state.replaySpeed < 1 ? 2 : 0))x", Style(.hiFg, bold: true))) }
        let badgeWidth = badges.reduce(0) { $0 + $1.0.count + 3 }

        var x = buffer.put("cachetop", x: rect.x, y: rect.y, style: .title)
        let target = context.latest?.target
        var facts: [String] = [target?.name ?? "connecting"]
        if let cache = target?.cache, let caches = target?.caches, caches.count > 1 {
            facts.append("cache \(cache) (\((caches.firstIndex(of: cache) ?? 0) + 1)/\(caches.count), Tab: next)")
        }
        if let pid = target?.pid { facts.append("pid \(pid)" + (target?.uid.map { " uid \($0)" } ?? "")) }
        if let uptime = context.latest?.snapshot.uptimeNanoseconds { facts.append("up " + Format.seconds(Double(uptime) / 1e9)) }
        if let bus = context.latest?.snapshot.coherence {
            facts.append("bus \(bus.summary) seq \(bus.appliedSequence)" + (bus.lagSequences > 0 ? " lag \(bus.lagSequences)" : ""))
        }
        facts.append(state.mode == .replay ? "recorded" : "every " + Format.seconds(state.interval))
        if let latest = context.latest { facts.append("age " + Format.seconds(max(0, context.now - latest.time))) }
        let text = context.glyphs.separator + facts.joined(separator: context.glyphs.separator)
        x = buffer.put(text.truncated(rect.width - x - badgeWidth, ellipsis: context.glyphs.ellipsis), x: x, y: rect.y)
        var badgeX = rect.maxX - badgeWidth
        for (badge, style) in badges {
            badgeX = buffer.put(" \(badge) ", x: badgeX + 1, y: rect.y, style: style) + 1
        }

        guard let rates = context.current else {
            buffer.put(state.history.isEmpty ? "waiting for the first sample" : "waiting for a second sample to compute rates",
                       x: rect.x, y: rect.y + 1, style: .label)
            return
        }
        let wide = rect.width >= 100
        let items: [(String, String, Style)] = [
            (wide ? "ops" : "ops", Format.rate(rates.operations), .value),
            (wide ? "hits" : "hit", Format.rate(rates.hits), Style(.ok, bold: true)),
            (wide ? "misses" : "miss", Format.rate(rates.misses), .value),
            (wide ? "evictions" : "evict", Format.rate(rates.evictionsBySize), .value),
            (wide ? "expirations" : "expire", Format.rate(rates.expirations), .value),
            (wide ? "loads" : "load", Format.rate(rates.loads), .value),
        ]
        buffer.pairs(items, x: rect.x, y: rect.y + 1, limit: rect.width, gap: wide ? 3 : 2)
    }
}
