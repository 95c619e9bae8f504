import Synchronization

/// The kind of a background task, for counting. Open: hosts and other modules add their own.
public struct TaskKind: Hashable, Sendable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let name: String

    public init(_ name: String) { self.name = name }
    public init(stringLiteral value: String) { self.name = value }
    public init(from decoder: any Decoder) throws { name = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }
    public var description: String { name }

    /// The periodic expiry sweeper inside `Cache.run()`.
    public static let sweeper: TaskKind = "sweeper"
    /// A single-flight load started by `Cache.value(forKey:...)`.
    public static let loader: TaskKind = "loader"
    /// A background reload started by a read of an entry older than its refresh age
    /// (`Cache.value(forKey:…refreshAfter:…)`).
    public static let refresher: TaskKind = "refresher"
    /// A control-socket connection.
    public static let connection: TaskKind = "connection"
    /// A workload generator worker.
    public static let workload: TaskKind = "workload"
}

/// A task started through a ``TaskRegistry``: cancel it, or await its end.
public struct RegisteredTask: Sendable {
    public let id: UInt64
    public let kind: TaskKind
    let task: Task<Void, Never>

    /// Requests cancellation. The task ends at its next suspension point that checks.
    public func cancel() { task.cancel() }

    /// Waits until the task has ended.
    public func wait() async { await task.value }
}

/// The one place background tasks are started: every task is counted by kind while it lives,
/// can be cancelled, and is awaited by ``cancelAll()`` at shutdown. A leak shows as a live
/// count that only rises.
///
/// Thread-safe; every operation takes one short lock.
public final class TaskRegistry: Sendable {
    private struct State {
        var nextID: UInt64 = 0
        var handles: [UInt64: Task<Void, Never>] = [:]
        var endedBeforeRegistration: Set<UInt64> = []
        var unstructuredLive = 0
        var live: [TaskKind: Int] = [:]
        var started: [TaskKind: Int] = [:]
    }

    private let state = EngineMutex(State())

    public init() {}

    /// Starts `operation` as a task counted under `kind`. O(1).
    @discardableResult
    public func spawn(_ kind: TaskKind, _ operation: @escaping @Sendable () async -> Void) -> RegisteredTask {
        let id = state.withLock { state -> UInt64 in
            state.nextID &+= 1
            state.unstructuredLive += 1
            state.live[kind, default: 0] += 1
            state.started[kind, default: 0] += 1
            return state.nextID
        }
        let task = Task {
            await operation()
            self.ended(id: id, kind: kind)
        }
        state.withLock { state in
            if state.endedBeforeRegistration.remove(id) == nil { state.handles[id] = task }
        }
        return RegisteredTask(id: id, kind: kind, task: task)
    }

    /// Runs `body` in the calling task, counted under `kind` while it runs (for long-lived loops
    /// that are structured children of their owner, such as the sweeper inside `run()`).
    public func track<Result: Sendable>(_ kind: TaskKind, _ body: () async throws -> Result) async rethrows -> Result {
        state.withLock { state in
            state.live[kind, default: 0] += 1
            state.started[kind, default: 0] += 1
        }
        defer { state.withLock { $0.live[kind, default: 0] -= 1 } }
        return try await body()
    }

    private func ended(id: UInt64, kind: TaskKind) {
        state.withLock { state in
            state.unstructuredLive -= 1
            state.live[kind, default: 0] -= 1
            if state.handles.removeValue(forKey: id) == nil { state.endedBeforeRegistration.insert(id) }
        }
    }

    /// Live tasks by kind (kinds seen at least once, including those now at zero).
    public var liveCounts: [TaskKind: Int] {
        state.withLock { $0.live }
    }

    /// Tasks started by kind since the registry was created.
    public var startedCounts: [TaskKind: Int] {
        state.withLock { $0.started }
    }

    /// All live tasks.
    public var liveTotal: Int {
        state.withLock { $0.live.values.reduce(0, +) }
    }

    /// Cancels every task started with ``spawn(_:_:)`` and waits until all have ended,
    /// including any started while it waits.
    public func cancelAll() async {
        while true {
            let (handles, live) = state.withLock { (Array($0.handles.values), $0.unstructuredLive) }
            if handles.isEmpty {
                if live == 0 { return }
                // A task is between its start and its registration: let it get there.
                await Task.yield()
                continue
            }
            for handle in handles { handle.cancel() }
            for handle in handles { await handle.value }
        }
    }
}
