import CacheVocabulary
import Foundation
import Logging
import PostgresNIO
import Synchronization

/// The subscription: connect, LISTEN, catch up, then apply notifications and check on a timer;
/// on any failure close the connection, back off and start again.
extension InvalidationBus {
    enum Event: Sendable {
        case notification(String)
        case tick
    }

    struct SubscriptionEnded: Error, CustomStringConvertible {
        var description: String { "the notification stream ended" }
    }

    struct StatementTimedOut: Error, CustomStringConvertible {
        let timeout: Duration
        var description: String { "a statement of the bus took longer than \(timeout); the connection is closed" }
    }

    func maintainSubscription() async {
        var schemaInstalled = !configuration.installsSchema
        var everConnected = false
        while !Task.isCancelled {
            do {
                let connection = try await PostgresConnection.connect(
                    configuration: configuration.connection, id: 1, logger: logger)
                if everConnected {
                    state.withLock { $0.reconnects += 1 }
                }
                everConnected = true
                do {
                    if !schemaInstalled {
                        try await bounded(connection) { try await FleetSchema.install(on: $0, logger: self.logger) }
                        schemaInstalled = true
                    }
                    try await subscribe(on: connection) { self.state.withLock { $0.failures = 0 } }
                } catch {
                    try? await connection.close()
                    throw error
                }
                try? await connection.close()
            } catch {
                if Task.isCancelled { break }
                state.withLock { $0.connection = everConnected ? .reconnecting : .connecting }
                publishAll()
                logger.info("invalidation bus lost its subscription", metadata: ["error": "\(String(reflecting: error))"])
            }
            let failures = state.withLock { state in
                state.failures += 1
                return state.failures
            }
            let backoff = min(configuration.maximumBackoff, configuration.initialBackoff * (1 << min(failures - 1, 16)))
            do { try await sleep(backoff) } catch { break }
        }
    }

    /// LISTENs on `connection`, catches up, then applies notifications and checks until the
    /// connection fails. `caughtUp` runs once the first check has verified every namespace.
    func subscribe(on connection: PostgresConnection, caughtUp: @escaping @Sendable () -> Void) async throws {
        try await connection.listen(on: FleetSchema.channel) { notifications in
            let (events, sink) = AsyncStream<Event>.makeStream()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for try await notification in notifications {
                        self.state.withLock { $0.backlog += 1 }
                        sink.yield(.notification(notification.payload))
                    }
                    throw SubscriptionEnded()
                }
                group.addTask {
                    while true {
                        try await self.sleep(self.configuration.checkInterval)
                        sink.yield(.tick)
                    }
                }
                group.addTask {
                    // The PostgreSQL docs' rule: LISTEN first (done), then read the state.
                    try await self.check(on: connection)
                    self.state.withLock { $0.connection = .listening }
                    self.publishAll()
                    caughtUp()
                    self.logger.info("invalidation bus listening")
                    var lastPrune = self.now()
                    for await event in events {
                        switch event {
                        case .notification(let payload):
                            self.state.withLock { $0.backlog -= 1 }
                            try await self.handle(payload: payload, on: connection)
                        case .tick:
                            try await self.check(on: connection)
                            if self.now() - lastPrune >= self.configuration.pruneInterval.nanoseconds {
                                lastPrune = self.now()
                                try await self.prune(on: connection)
                            }
                        }
                        self.publishAll()
                    }
                }
                defer { sink.finish() }
                try await group.next()
                group.cancelAll()
            }
        }
    }

    /// Applies one notification, or replays the gap it reveals.
    func handle(payload: String, on connection: PostgresConnection) async throws {
        let notice: InvalidationNotice
        switch InvalidationNotice.parse(payload) {
        case .success(let parsed): notice = parsed
        case .failure(let error):
            state.withLock { $0.ignoredPayloads += 1 }
            logger.warning("invalidation bus ignored a notification", metadata: ["reason": "\(error)"])
            return
        }
        guard namespaces[notice.namespace] != nil else { return }
        let at = now()
        let actions = state.withLock { $0.trackers[notice.namespace]!.notified(notice, at: at) }
        try await perform(actions, namespace: notice.namespace, source: "notify", on: connection)
        if !actions.isEmpty, case .remove = actions[0], let statementTime = notice.statementTimeMilliseconds {
            let latency = Date().timeIntervalSince1970 * 1000 - statementTime
            state.withLock { $0.recordLatency(max(0, latency)) }
        }
    }

    /// Reads every namespace's committed number and acts on what it shows.
    func check(on connection: PostgresConnection) async throws {
        let sentAt = now()
        let names = namespaces.keys.sorted()
        let committed = try await bounded(connection) { connection in
            var committed: [String: Int64] = [:]
            let rows = try await connection.query(
                "SELECT ns, seq FROM cachetop_namespace WHERE ns = ANY(\(names))", logger: self.logger)
            for try await (name, sequence) in rows.decode((String, Int64).self) { committed[name] = sequence }
            return committed
        }
        for name in names {
            let actions = state.withLock { $0.trackers[name]!.checked(committed: committed[name] ?? 0, sentAt: sentAt) }
            try await perform(actions, namespace: name, source: "replay", on: connection)
        }
    }

    /// Reads the log of `name` after `after` with the committed number, in one statement.
    func replay(_ name: String, after: Int64, on connection: PostgresConnection) async throws -> [NamespaceTracker.Action] {
        let sentAt = now()
        let (rows, committed) = try await bounded(connection) { connection in
            var notices: [InvalidationNotice] = []
            var committed: Int64 = 0
            let rows = try await connection.query("""
                SELECT n.seq, l.seq, l.keys FROM cachetop_namespace n
                LEFT JOIN cachetop_invalidation l ON l.ns = n.ns AND l.seq > \(after)
                WHERE n.ns = \(name) ORDER BY l.seq
                """, logger: self.logger)
            for try await (current, sequence, keys) in rows.decode((Int64, Int64?, [String]?).self) {
                committed = current
                if let sequence {
                    notices.append(InvalidationNotice(namespace: name, sequence: sequence, keys: keys, keysInLog: false))
                }
            }
            return (notices, committed)
        }
        state.withLock { $0.counters[name, default: .init()].replays += 1 }
        return state.withLock { $0.trackers[name]!.replayed(rows, committed: committed, after: after, sentAt: sentAt) }
    }

    /// Carries out a tracker's actions on the namespace's cache (and the log, for replays).
    func perform(_ actions: [NamespaceTracker.Action], namespace name: String, source: String,
                 on connection: PostgresConnection) async throws {
        guard let namespace = namespaces[name] else { return }
        for action in actions {
            switch action {
            case .remove(let keys):
                // The ledger first: a load that starts after the removal must find it there.
                state.withLock { $0.ledgers[name]?.record(keys, sequence: $0.trackers[name]!.applied) }
                let (removed, unparsable) = namespace.removeKeys(keys)
                state.withLock {
                    $0.counters[name, default: .init()].applied[source, default: 0] += 1
                    $0.counters[name, default: .init()].keysRemoved += removed
                    $0.counters[name, default: .init()].unparsableKeys += unparsable
                }
            case .clear:
                state.withLock { $0.ledgers[name]?.flushed(at: $0.trackers[name]!.applied) }
                namespace.removeAll()
            case .flush(let reason):
                state.withLock { $0.ledgers[name]?.flushed(at: $0.trackers[name]!.applied) }
                namespace.removeAll()
                state.withLock {
                    $0.counters[name, default: .init()].flushes[reason.rawValue, default: 0] += 1
                    if reason == .namespace { $0.counters[name, default: .init()].applied[source, default: 0] += 1 }
                }
                logger.info("invalidation bus flushed a namespace", metadata: ["namespace": "\(name)", "reason": "\(reason.rawValue)"])
            case .replay(let after):
                try await perform(replay(name, after: after, on: connection), namespace: name, source: "replay", on: connection)
            }
        }
    }

    /// Deletes log rows older than the retention.
    func prune(on connection: PostgresConnection) async throws {
        let seconds = Double(configuration.retention.nanoseconds) / 1e9
        _ = try await bounded(connection) { connection in
            try await connection.query(
                "DELETE FROM cachetop_invalidation WHERE at < now() - make_interval(secs => \(seconds))", logger: self.logger)
        }
    }

    /// Runs `body` on `connection`, closing the connection if it outlives the query timeout (a
    /// half-open connection would otherwise hang the bus forever) or if the caller is cancelled.
    ///
    /// The statement runs in a task of its own that this call does not wait for once the time
    /// is up: a statement written to a connection that has just closed may never complete, and
    /// a task group would wait for it forever, keeping the bus from reconnecting. Closing the
    /// connection ends every statement that reached it; such a task lives on only in that case.
    func bounded<T: Sendable>(_ connection: PostgresConnection,
                              _ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let timeout = configuration.queryTimeout
        let race = BoundedRace<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                race.start(continuation)
                let statement = Task {
                    let result: Result<T, any Error>
                    do { result = .success(try await body(connection)) } catch { result = .failure(error) }
                    race.finish(result)
                }
                let timer = Task {
                    do { try await self.sleep(timeout) } catch { return }
                    if race.finish(.failure(StatementTimedOut(timeout: timeout))) {
                        statement.cancel()
                        try? await connection.close()
                    }
                }
                race.onFinish { timer.cancel() }
            }
        } onCancel: {
            if race.finish(.failure(CancellationError())) { connection.close().whenComplete { _ in } }
        }
    }
}

/// The first of a statement's result, its timeout and its caller's cancellation: resumes the
/// waiting caller once.
final class BoundedRace<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T, any Error>?
        var early: Result<T, any Error>?
        var finished = false
        var onFinish: (@Sendable () -> Void)?
    }
    private let state = Mutex(State())

    func start(_ continuation: CheckedContinuation<T, any Error>) {
        let early = state.withLock { state -> Result<T, any Error>? in
            guard let early = state.early else { state.continuation = continuation; return nil }
            return early
        }
        if let early { continuation.resume(with: early) }
    }

    func onFinish(_ action: @escaping @Sendable () -> Void) {
        let finished = state.withLock { state -> Bool in
            if !state.finished { state.onFinish = action }
            return state.finished
        }
        if finished { action() }
    }

    /// Delivers `result` if nothing came first; whether it did.
    @discardableResult
    func finish(_ result: Result<T, any Error>) -> Bool {
        let (won, continuation, action) = state.withLock { state -> (Bool, CheckedContinuation<T, any Error>?, (@Sendable () -> Void)?) in
            guard !state.finished else { return (false, nil, nil) }
            state.finished = true
            if state.continuation == nil { state.early = result }
            let continuation = state.continuation
            state.continuation = nil
            return (true, continuation, state.onFinish)
        }
        continuation?.resume(with: result)
        action?()
        return won
    }
}
