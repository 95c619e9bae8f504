/// Runs an operation against a time limit.
enum Deadline {
    /// The operation did not finish within `limit`.
    struct Exceeded: Error {
        let limit: Duration
    }

    /// The result of `operation`, or ``Exceeded`` once `limit` has passed; the operation is then
    /// cancelled and awaited before this returns, so that nothing it started outlives the call.
    static func run<T: Sendable>(
        within limit: Duration, _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else { throw Exceeded(limit: limit) }
            return value
        }
    }
}
