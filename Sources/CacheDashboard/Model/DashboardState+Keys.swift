import CacheVocabulary

/// What the runner must do after a key: talk to the source, re-theme, re-time, or stop.
public enum Effect: Sendable, Equatable {
    case command(SourceCommand)
    case quit
    case themeChanged(String)
    /// The refresh interval or replay speed changed: the next poll is rescheduled.
    case timingChanged
    /// Replay: ingest one more sample while paused.
    case step
    /// Give the terminal back to the shell until `fg`.
    case suspend
}

extension DashboardState {
    /// Applies a key: changes the state and returns what the runner must carry out. Every key
    /// the map binds is handled here; unbound keys only close the help.
    public mutating func handle(_ key: Key, now: Double) -> [Effect] {
        if confirmation != nil { return answer(key, now: now) }
        if prompt != nil { return handlePrompt(key, now: now) }
        if key == .resize { return [] }
        guard let action = KeyMap.action(for: key) else {
            if showHelp { showHelp = false }
            return []
        }
        if showHelp, action != .quit, action != .help { showHelp = false }
        if action.isMutating, let refusal = mutationRefusal(action) {
            events.append(refusal, at: now, isError: true)
            return []
        }
        switch action {
        case .quit:
            return [.quit]
        case .suspend:
            return [.suspend]
        case .back:
            return escapeReturns ? [.quit] : []
        case .help:
            showHelp.toggle()
            return []
        case .sweep:
            return request(.sweep)
        case .capacityUp, .capacityDown:
            guard let capacity = latest?.snapshot.capacity else { return noTarget(now) }
            let step = max(1, capacity / 10)
            let target = action == .capacityUp ? capacity + step : max(1, capacity - step)
            return request(.resize(target))
        case .typeCapacity:
            guard latest != nil else { return noTarget(now) }
            prompt = ""
            promptKind = .capacity
            return []
        case .nextCache:
            guard let target = latest?.target, let caches = target.caches, caches.count > 1 else {
                events.append("this target serves one cache", at: now)
                return []
            }
            let index = target.cache.flatMap { caches.firstIndex(of: $0) } ?? -1
            return [.command(.showCache(caches[(index + 1) % caches.count]))]
        case .findKey:
            if mode == .replay {
                events.append("a replay cannot look keys up: the recording holds no cache", at: now, isError: true)
                return []
            }
            if case .disconnected = connection { return noTarget(now) }
            prompt = ""
            promptKind = .key
            return []
        case .toggleLoad:
            if latest?.load.running == true { return request(.stopLoad) }
            return request(.startLoad(profile))
        case .cycleProfile:
            let all = Workload.Profile.allCases
            setProfile(all[(all.firstIndex(of: profile)! + 1) % all.count])
            events.append("load profile: \(profile.rawValue) (\(profile.summary))", at: now)
            return latest?.load.running == true ? request(.startLoad(profile)) : []
        case .pause:
            if isPaused {
                unfreeze()
                events.append("resumed", at: now)
            } else {
                freeze()
                events.append(mode == .replay ? "replay paused: n steps" : "paused: sampling goes on", at: now)
            }
            return []
        case .slower, .faster:
            return changeTiming(faster: action == .faster, now: now)
        case .cycleWindow:
            window = window.next
            events.append("hit-ratio window: \(window.label)", at: now)
            return []
        case .cycleTheme:
            let index = themeNames.firstIndex(of: themeName) ?? -1
            let next = themeNames[(index + 1) % themeNames.count]
            setTheme(next)
            events.append("theme: \(next)", at: now)
            return [.themeChanged(next)]
        case .step:
            guard mode == .replay else { return [] }
            guard isPaused else {
                events.append("step works while paused (p)", at: now)
                return []
            }
            return [.step]
        }
    }

    private mutating func handlePrompt(_ key: Key, now: Double) -> [Effect] {
        if promptKind == .key { return handleKeyPrompt(key, now: now) }
        switch key {
        case .escape:
            prompt = nil
            events.append("capacity entry cancelled", at: now)
        case .backspace:
            if prompt?.isEmpty == false { prompt?.removeLast() }
        case .enter:
            let text = prompt ?? ""
            prompt = nil
            guard let capacity = Int(text), capacity >= 1, capacity <= CacheLimits.maximumCapacity else {
                events.append("capacity must be a whole number from 1 to \(CacheLimits.maximumCapacity), got '\(text)'", at: now, isError: true)
                return []
            }
            return request(.resize(capacity))
        case .character(let character) where character.isASCII && character.isNumber:
            if (prompt ?? "").count < 16 { prompt?.append(character) }
        case .control("c"):
            return [.quit]
        default:
            break
        }
        return []
    }

    /// The `/` prompt: any printable text up to the protocol's key length; Enter looks it up.
    private mutating func handleKeyPrompt(_ key: Key, now: Double) -> [Effect] {
        switch key {
        case .escape:
            prompt = nil
        case .backspace:
            if prompt?.isEmpty == false { prompt?.removeLast() }
        case .enter:
            let text = prompt ?? ""
            prompt = nil
            return text.isEmpty ? [] : [.command(.lookUp(text))]
        case .character(let character) where !character.isNewline && character.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }):
            if (prompt ?? "").count < Self.maximumKeyLength { prompt?.append(character) }
        case .control("c"):
            return [.quit]
        default:
            break
        }
        return []
    }

    /// The longest key text `/` takes (the control socket's bound).
    public static let maximumKeyLength = 200

    private mutating func changeTiming(faster: Bool, now: Double) -> [Effect] {
        if mode == .replay {
            let speeds = Self.speeds
            let index = speeds.firstIndex(of: replaySpeed) ?? 2
            setSpeed(speeds[max(0, min(speeds.count - 1, index + (faster ? 1 : -1)))])
            events.append("replay speed: \(Format.fixed(replaySpeed, replaySpeed < 1 ? 2 : 0))x", at: now)
        } else {
            let intervals = Self.intervals
            let index = intervals.firstIndex(of: interval) ?? 2
            setInterval(intervals[max(0, min(intervals.count - 1, index + (faster ? -1 : 1)))])
            events.append("refresh every \(Format.seconds(interval))", at: now)
        }
        return [.timingChanged]
    }

    private func mutationRefusal(_ action: Action) -> String? {
        if mode == .replay { return "\(action.rawValue) is not available in a replay" }
        if readOnlyOption { return "read-only (--readonly): \(action.rawValue) is disabled" }
        if latest?.target.readOnly == true { return "the host is read-only: \(action.rawValue) is disabled" }
        if action == .toggleLoad || action == .cycleProfile, latest?.target.loadInjection == false {
            return "the host does not allow load injection"
        }
        if case .disconnected = connection { return "disconnected: \(action.rawValue) must wait for the target" }
        return nil
    }

    private mutating func noTarget(_ now: Double) -> [Effect] {
        events.append("no sample yet", at: now, isError: true)
        return []
    }

    /// Logs the outcome of a command the runner carried out.
    public mutating func record(outcome: String, isError: Bool, at time: Double) {
        events.append(outcome, at: time, isError: isError)
    }
}
