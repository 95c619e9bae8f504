import CacheControl
import CacheDashboard
import CacheVocabulary
import Foundation
import Synchronization
import TerminalBackend

/// Drives `cachetop fleet`: polls the source into a ``FleetBoard``, prints batch frames or JSON,
/// or runs the fleet screen, where Enter opens one instance in the single-instance screen
/// (`Esc` comes back) and fleet actions fan out with one outcome line per instance.
final class FleetRunner: Sendable {
    let source: any FleetSource
    let options: DashboardOptions
    let reach: InstanceReach
    private let board: Mutex<FleetBoard>
    private let interval: Double

    init(source: any FleetSource, options: DashboardOptions, reach: InstanceReach, staleAfter: Double, lostAfter: Double) {
        self.source = source
        self.options = options
        self.reach = reach
        interval = options.interval ?? 2
        setlocale(LC_ALL, "")
        board = Mutex(FleetBoard(sourceLabel: source.label, staleAfter: staleAfter, lostAfter: lostAfter,
                                 readOnly: options.readonly, confirmsActions: true, canFlush: source.canFlush,
                                 glyphs: options.glyphs(localeIsUTF8: CursesTerminal.localeIsUTF8())))
    }

    // MARK: batch and JSON

    /// Prints `options.n` frames (or JSON documents), one per interval, the first after two
    /// polls so that rates exist.
    /// - Throws: when the source cannot be read at all (the cause, for a non-zero exit).
    func runBatch(json: Bool) async throws {
        let (width, height) = options.batchSize()
        try await poll(throwing: true)
        for frame in 0..<options.n {
            try await Task.sleep(for: .seconds(interval))
            try await poll(throwing: true)
            let now = wallClockSeconds()
            let text = board.withLock { board in
                json ? FleetReport(board: board, now: now).jsonLine() : FleetView.render(board, width: width, height: height, now: now).text()
            }
            print(text + (!json && frame + 1 < options.n ? "\n" : ""))
        }
    }

    /// One poll into the board; a failure is recorded (and thrown when asked).
    private func poll(throwing: Bool = false) async throws {
        do {
            let members = try await source.members()
            let now = wallClockSeconds()
            board.withLock { $0.ingest(members, now: now) }
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            if throwing { throw SampleFailure(description: "cannot read the fleet: \(error)") }
            let now = wallClockSeconds()
            board.withLock { $0.pollFailed("\(error)", now: now) }
        }
    }

    // MARK: interactive

    /// The fleet screen until quit; polling and actions go on while an instance is open.
    func runInteractive() async throws {
        let (actions, continuation) = AsyncStream<FleetEffect>.makeStream()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                while !Task.isCancelled {
                    try await self.poll()
                    try await Task.sleep(for: .seconds(self.interval))
                }
            }
            group.addTask {
                for await action in actions { await self.carryOut(action) }
            }
            defer { group.cancelAll() }
            while let member = try await onDedicatedThread({ try self.screenLoop(actions: continuation) }) {
                await open(member)
            }
            continuation.finish()
        }
    }

    private func screenLoop(actions: AsyncStream<FleetEffect>.Continuation) throws -> FleetMember? {
        let terminal = CursesTerminal()
        try terminal.start(wantColor: options.wantsColor)
        defer { terminal.stop() }
        let catalog = ThemeCatalog.standard(executablePath: DashboardRunner.executablePath())
        terminal.setTheme((try? catalog.load(options.theme ?? "default")) ?? (try! catalog.load("default")))
        return FleetScreenLoop(now: { wallClockSeconds() }, send: { actions.yield($0) }).run(terminal, board: board)
    }

    /// The single-instance screen on `member` until `Esc` or `q`.
    private func open(_ member: FleetMember) async {
        do {
            try await reach.withSocket(of: member) { path in
                let source = SocketSource(path: path, cacheName: member.cache)
                let runner = try DashboardRunner(source: source, options: options, confirmsActions: true, escapeReturns: true)
                try await runner.runInteractive()
            }
        } catch {
            let now = wallClockSeconds()
            board.withLock { $0.record("open \(FleetBoard.label(member)) failed: \(error)", isError: true, now: now) }
        }
    }

    /// A fleet action, with one outcome line per instance (a flush has one: the log reaches all).
    private func carryOut(_ action: FleetEffect) async {
        switch action {
        case .sweep(let members):
            let lines = await withTaskGroup(of: (String, Bool).self) { group in
                for member in members { group.addTask { await self.sweep(member) } }
                var lines: [(String, Bool)] = []
                for await line in group { lines.append(line) }
                return lines.sorted { $0.0 < $1.0 }
            }
            let now = wallClockSeconds()
            board.withLock { board in for (line, failed) in lines { board.record(line, isError: failed, now: now) } }
        case .flush(let namespace):
            let lines: [(String, Bool)]
            do {
                let sequence = try await source.flush(namespace: namespace)
                lines = [("flush \(namespace): sequence \(sequence) in the invalidation log", false)]
                    + (await flushOutcomes(namespace: namespace, sequence: sequence))
            } catch {
                lines = [("flush \(namespace) failed: \(error)", true)]
            }
            let now = wallClockSeconds()
            board.withLock { board in for (line, failed) in lines { board.record(line, isError: failed, now: now) } }
        case .quit, .drill:
            break
        }
    }

    /// One line per instance serving `namespace`: applied, once its bus status reaches
    /// `sequence` (seen in its reports, polled until all have or `staleAfter` passes), or not
    /// yet, for an instance that is away and replays the log on its return.
    private func flushOutcomes(namespace: String, sequence: Int64) async -> [(String, Bool)] {
        let deadline = wallClockSeconds() + board.withLock { $0.staleAfter }
        var applied: [String: FleetMember] = [:]
        var listed: [String: FleetMember] = [:]
        while true {
            if let members = try? await source.members() {
                for member in members where member.summary.coherence?.namespace == namespace {
                    let key = FleetBoard.key(of: member)
                    listed[key] = member
                    if (member.summary.coherence?.appliedSequence ?? 0) >= sequence { applied[key] = member }
                }
            }
            if applied.count == listed.count || wallClockSeconds() > deadline || Task.isCancelled { break }
            try? await Task.sleep(for: .milliseconds(250))
        }
        return listed.sorted { $0.key < $1.key }.map { key, member in
            applied[key] != nil
                ? ("\(FleetBoard.label(member)): flush applied (sequence \(sequence))", false)
                : ("\(FleetBoard.label(member)): not applied yet; it replays the log, or flushes, when it returns", true)
        }
    }

    private func sweep(_ member: FleetMember) async -> (String, Bool) {
        let label = FleetBoard.label(member)
        do {
            let report = try await reach.withSocket(of: member) { path in
                let client = ControlClient(path: path, timeout: .seconds(5))
                do {
                    let report = try await client.sweep(cache: member.cache)
                    await client.disconnect()
                    return report
                } catch {
                    await client.disconnect()
                    throw error
                }
            }
            return ("\(label): " + CommandOutcome.sweep(examined: report.examined, removed: report.removed, nanoseconds: report.durationNanoseconds), false)
        } catch {
            return ("\(label): sweep failed: \(error)", true)
        }
    }
}
