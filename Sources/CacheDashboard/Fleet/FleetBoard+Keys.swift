import CacheVocabulary

/// What the fleet runner must carry out after a key.
public enum FleetEffect: Sendable, Equatable {
    case quit
    /// Open the single-instance screen on this member.
    case drill(FleetMember)
    /// Sweep every one of these members, reporting a line for each.
    case sweep([FleetMember])
    /// Invalidate the whole namespace through the invalidation log.
    case flush(namespace: String)
}

extension FleetBoard {
    /// Applies a key at `now` and returns what the runner must do.
    public mutating func handle(_ key: Key, now: Double) -> [FleetEffect] {
        if let pending = confirmation {
            confirmation = nil
            switch key {
            case .character("y"), .character("Y"): return [pending.effect]
            case .control("c"): return [.quit]
            default:
                events.append("cancelled: \(pending.question.dropLast()) (nothing sent)", at: now)
                return []
            }
        }
        guard let action = FleetKeyMap.action(for: key) else {
            showHelp = false
            return []
        }
        if showHelp, action != .quit, action != .help { showHelp = false }
        if action.isMutating, readOnly {
            events.append("read-only: \(action == .sweepAll ? "sweep" : "flush") refused (started with --readonly)", at: now, isError: true)
            return []
        }
        let rows = rows(now: now)
        let index = selectedKey.flatMap { key in rows.firstIndex { Self.key(of: $0.member) == key } }
        let selected = index.map { rows[$0] }
        switch action {
        case .quit:
            return [.quit]
        case .help:
            showHelp.toggle()
            return []
        case .up, .down:
            guard !rows.isEmpty else { return [] }
            let next = action == .up ? max(0, (index ?? 0) - 1) : min(rows.count - 1, (index ?? -1) + 1)
            selectedKey = Self.key(of: rows[next].member)
            return []
        case .drill:
            guard let selected else { return noSelection(now) }
            guard selected.member.endpoint != nil else {
                events.append("\(Self.label(selected.member)) serves no control socket to open", at: now, isError: true)
                return []
            }
            return [.drill(selected.member)]
        case .sweepAll:
            let members = rows.filter { $0.presence != .lost }.map(\.member)
            guard !members.isEmpty else { return noSelection(now) }
            return ask("sweep expired entries on \(members.count) instance\(members.count == 1 ? "" : "s")?", .sweep(members))
        case .flushNamespace:
            guard canFlush else {
                events.append("flush goes through the invalidation log: start cachetop fleet with --db", at: now, isError: true)
                return []
            }
            guard let selected else { return noSelection(now) }
            guard let namespace = selected.member.summary.coherence?.namespace else {
                events.append("\(Self.label(selected.member)) has no invalidation bus: no namespace to flush", at: now, isError: true)
                return []
            }
            let reached = rows.filter { $0.member.summary.coherence?.namespace == namespace }.count
            return ask("flush namespace \(namespace) on every instance (\(reached) listed)?", .flush(namespace: namespace))
        case .cycleWindow:
            let windows = Self.windows
            window = windows[((windows.firstIndex(of: window) ?? -1) + 1) % windows.count]
            events.append("window: \(Format.seconds(window))", at: now)
            return []
        }
    }

    /// "catalog@host pid 123 (products)", as outcome lines name an instance.
    public static func label(_ member: FleetMember) -> String {
        "\(member.service)@\(member.host) pid \(member.pid) (\(member.cache))"
    }

    private mutating func ask(_ question: String, _ effect: FleetEffect) -> [FleetEffect] {
        guard confirmsActions else { return [effect] }
        confirmation = FleetConfirmation(question: question, effect: effect)
        return []
    }

    private mutating func noSelection(_ now: Double) -> [FleetEffect] {
        events.append("no instance listed", at: now, isError: true)
        return []
    }
}
