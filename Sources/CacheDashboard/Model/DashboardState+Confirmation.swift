/// A change to a live process that waits for the operator's `y`: the question names the action
/// and the target, so a reflex from another tool cannot resize or load a production cache.
public struct Confirmation: Sendable, Equatable {
    /// "resize users 100.0k -> 110.0k?"
    public var question: String
    /// What `y` sends.
    public var command: SourceCommand
}

extension DashboardState {
    /// Sends `command` at once, or, when actions must be confirmed, asks first and sends
    /// nothing yet.
    mutating func request(_ command: SourceCommand) -> [Effect] {
        guard confirmsActions else { return [.command(command)] }
        confirmation = Confirmation(question: question(for: command), command: command)
        return []
    }

    /// The answer to a pending confirmation: `y` sends its command; any other key cancels
    /// (`Ctrl-C` still quits).
    mutating func answer(_ key: Key, now: Double) -> [Effect] {
        guard let pending = confirmation else { return [] }
        confirmation = nil
        switch key {
        case .character("y"), .character("Y"):
            return [.command(pending.command)]
        case .control("c"):
            return [.quit]
        default:
            events.append("cancelled: \(pending.question.dropLast()) (nothing sent)", at: now)
            return []
        }
    }

    /// "resize users 100000 -> 110000?", naming the cache (or the target when it names none).
    func question(for command: SourceCommand) -> String {
        let target = latest?.target.cache ?? latest?.target.name ?? "the target"
        switch command {
        case .sweep:
            return "sweep \(target) now?"
        case .resize(let capacity):
            let current = latest.map { "\($0.snapshot.capacity)" } ?? "?"
            return "resize \(target) \(current) -> \(capacity)?"
        case .startLoad(let profile) where latest?.load.running == true:
            return "switch the injected load on \(target) to \(profile.rawValue)?"
        case .startLoad(let profile):
            return "inject \(profile.rawValue) load into \(target)?"
        case .stopLoad:
            return "stop the injected load on \(target)?"
        case .lookUp(let text):
            return "look up \(text) in \(target)?"
        case .showCache(let name):
            return "show cache \(name)?"
        }
    }
}
