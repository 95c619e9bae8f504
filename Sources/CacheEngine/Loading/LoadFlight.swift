import Synchronization

/// One in-progress load of one key, shared by every caller that asked for the key while it ran
/// (single flight).
///
/// The load itself runs in its own registered task, so cancelling one waiter never cancels the
/// load for the others: a cancelled waiter is resumed with `CancellationError` and removed from
/// the waiter table at once. When the load finishes, every remaining waiter is resumed with the
/// result and the table is emptied; the shard drops its reference to the flight in the same
/// step, so nothing outlives the load (no per-key table that only grows).
@usableFromInline
package final class LoadFlight<Value: Sendable>: Sendable {
    private struct State {
        var nextWaiterID: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Value?, any Error>] = [:]
        var result: Result<Value?, any Error>?
    }

    private let state = EngineMutex(State())
    private let supersededFlag = Atomic<Bool>(false)

    @usableFromInline
    init() {}

    /// Whether a write or removal of the key happened while this load ran: then the load's
    /// result goes to its waiters but is not stored over the newer state.
    @usableFromInline
    var isSuperseded: Bool { supersededFlag.load(ordering: .acquiring) }

    /// Marks the load as overtaken by a write or removal of its key (called under the shard lock).
    @usableFromInline
    func supersede() { supersededFlag.store(true, ordering: .releasing) }

    /// Callers currently suspended waiting for this load.
    @usableFromInline
    var waiterCount: Int {
        state.withLock { $0.waiters.count }
    }

    /// Waits for the load's result. Throws the load's error, or `CancellationError` when the
    /// calling task is cancelled (the load goes on for the others).
    @usableFromInline
    func wait() async throws -> Value? {
        let id = state.withLock { state -> UInt64 in
            state.nextWaiterID &+= 1
            return state.nextWaiterID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Value?, any Error>) in
                let immediate: Result<Value?, any Error>? = state.withLock { state in
                    if let result = state.result { return result }
                    if Task.isCancelled { return .failure(CancellationError()) }
                    state.waiters[id] = continuation
                    return nil
                }
                if let immediate { continuation.resume(with: immediate) }
            }
        } onCancel: {
            let continuation = state.withLock { $0.waiters.removeValue(forKey: id) }
            continuation?.resume(throwing: CancellationError())
        }
    }

    /// Publishes the result and resumes every waiter.
    @usableFromInline
    func complete(with result: Result<Value?, any Error>) {
        let waiters = state.withLock { state -> [CheckedContinuation<Value?, any Error>] in
            state.result = result
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume(with: result) }
    }
}
