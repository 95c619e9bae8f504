import CacheDashboard
import CacheEngine
import Foundation
import Synchronization
import TerminalBackend

/// Drives a dashboard: polls the source, feeds the state, draws frames, carries out keys.
///
/// Three strands, all ended together: the sampling loop and the command loop are child tasks of
/// ``runInteractive()``; the screen and the keyboard belong to one dedicated thread (curses
/// must stay on one thread, and its blocking key wait, which is the refresh tick, must not hold
/// a thread of the cooperative pool the embedded engine uses). They share the state behind a
/// lock and a stream of commands.
final class DashboardRunner: Sendable {
    let source: any SnapshotSource
    let options: DashboardOptions
    let catalog: ThemeCatalog
    let initialTheme: Theme
    private let state: Mutex<DashboardState>
    private let recorder: SampleRecorder?
    private let stepRequests = Atomic<Int>(0)
    private let isReplay: Bool
    /// The configuration file read at start, and the first refresh interval (option, file, 1 s).
    private let configFile: ConfigFile
    private let interval: Double

    /// - Parameters:
    ///   - confirmsActions: whether a key that changes the target asks first (attached to a
    ///     live process).
    ///   - escapeReturns: whether `Esc` leaves the screen (opened from the fleet table).
    /// - Throws: a one-line message for a bad theme or recording path.
    init(source: any SnapshotSource, options: DashboardOptions, replay: Bool = false, confirmsActions: Bool = false,
         escapeReturns: Bool = false) throws {
        self.source = source
        self.options = options
        self.isReplay = replay
        catalog = ThemeCatalog.standard(executablePath: Self.executablePath())
        configFile = ConfigFile.load(options.config)
        let config = configFile.config
        // A theme the config file names but that cannot be loaded is reported like a broken file.
        var themeProblem: String?
        if let named = options.theme {
            initialTheme = try catalog.load(named)
        } else if let configured = config.theme {
            do {
                initialTheme = try catalog.load(configured)
            } catch {
                themeProblem = "\(error) (from \(configFile.path ?? "the config file")); using the default theme"
                initialTheme = try catalog.load("default")
            }
        } else {
            initialTheme = try catalog.load("default")
        }
        interval = options.interval ?? config.interval ?? 1
        recorder = try options.record.map(SampleRecorder.init(path:))
        setlocale(LC_ALL, "")
        let glyphs = options.glyphs(localeIsUTF8: CursesTerminal.localeIsUTF8(), config: config)
        var names = catalog.names()
        if !names.contains(initialTheme.name) { names.append(initialTheme.name) }
        state = Mutex(DashboardState(mode: replay ? .replay : .live, readOnly: options.readonly,
                                     confirmsActions: confirmsActions, glyphs: glyphs,
                                     interval: interval, themeNames: names, themeName: initialTheme.name,
                                     objectives: try options.objectives(config: config),
                                     machineMemoryBytes: ProcessStatistics.machineMemoryBytes()))
        state.withLock { $0.escapeReturns = escapeReturns }
        for problem in [configFile.problem, themeProblem].compactMap({ $0 }) {
            printError(problem)
            state.withLock { $0.record(outcome: problem, isError: true, at: wallClockSeconds()) }
        }
    }

    /// This executable's real path (`/proc/self/exe`), however it was started: through `PATH`,
    /// a relative path or a symbolic link; nil when unreadable.
    static func executablePath() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return CommandLine.arguments.first }
        return String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    // MARK: batch

    /// Prints `options.n` frames as plain text, one per interval, the first after two samples.
    /// - Throws: when a sample cannot be taken (a dead socket): the cause, for a non-zero exit.
    func runBatch() async throws {
        let (width, height) = options.batchSize()
        state.withLock { $0.screenRows = height }
        try await poll()
        for frame in 0..<options.n {
            if !isReplay || frame > 0 { try await Task.sleep(for: .seconds(interval)) }
            try await poll()
            let now = isReplay ? (state.withLock { $0.latest?.time } ?? 0) : wallClockSeconds()
            let text = state.withLock { DashboardView.render($0, width: width, height: height, now: now).text() }
            print(text + (frame + 1 < options.n ? "\n" : ""))
        }
    }

    /// How many hottest keys the next sample should carry: some every few seconds, none between.
    private func hotKeysWanted() -> Int? {
        let now = wallClockSeconds()
        return state.withLock { $0.hotKeysDue(at: now) } ? DashboardState.hotKeysCount : nil
    }

    /// One batch poll: a sample ingested; a target that cannot be sampled is thrown (batch mode
    /// exits with it), the end of a recording only recorded.
    private func poll() async throws {
        do {
            let sample = try await source.sample(hottest: hotKeysWanted(), expiring: state.withLock { $0.expiringWanted })
            recorder?.append(sample)
            state.withLock { $0.ingest(sample) }
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            guard error is ReplayError else { throw SampleFailure(description: "cannot sample the target: \(error)") }
            let now = wallClockSeconds()
            state.withLock { $0.pollFailed("\(error)", at: now, retryAt: now) }
        }
    }

    // MARK: interactive

    /// Runs the screen until the user quits or a signal asks to stop.
    /// - Throws: ``TerminalError`` when the terminal cannot be used.
    func runInteractive() async throws {
        let (commands, continuation) = AsyncStream<SourceCommand>.makeStream()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.sampleLoop() }
            group.addTask { await self.commandLoop(commands) }
            defer { group.cancelAll() }
            try await onDedicatedThread { try self.screenLoop(commands: continuation) }
            continuation.finish()
        }
        // The theme and interval chosen on screen, kept when the config file asks for that.
        let (theme, interval) = state.withLock { ($0.themeName, $0.interval) }
        if let problem = configFile.save(theme: theme, interval: interval) { printError(problem) }
    }

    /// Ingests the source's paced samples (live or recorded alike) until cancelled or, for a
    /// recording, its end.
    private func sampleLoop() async throws {
        let pacing = SamplePacing(
            interval: { [self] in state.withLock { $0.interval } },
            speed: { [self] in state.withLock { $0.replaySpeed } },
            isPaused: { [self] in state.withLock { $0.isPaused } },
            takeStep: { [self] in stepRequests.exchange(0, ordering: .relaxed) > 0 },
            hotKeys: { [self] in hotKeysWanted() },
            expiring: { [self] in state.withLock { $0.expiringWanted } },
            now: { wallClockSeconds() })
        for await event in source.samples(pacing) {
            switch event {
            case .sample(let sample):
                recorder?.append(sample)
                state.withLock { $0.ingest(sample) }
            case .failed(let reason, let time, let retryAt):
                state.withLock { $0.pollFailed(reason, at: time, retryAt: retryAt) }
            case .ended(let reason):
                state.withLock { $0.record(outcome: reason, isError: false, at: $0.latest?.time ?? 0) }
            }
        }
    }

    private func commandLoop(_ commands: AsyncStream<SourceCommand>) async {
        for await command in commands {
            do {
                let outcome = try await source.perform(command)
                let now = wallClockSeconds()
                state.withLock {
                    if case .resize(let capacity) = command { $0.commandedCapacity = capacity }
                    $0.record(outcome: outcome, isError: false, at: now)
                }
            } catch {
                let now = wallClockSeconds()
                state.withLock { $0.record(outcome: "\(command.label) failed: \(error)", isError: true, at: now) }
            }
        }
    }

    /// The screen thread: draw, wait for a key up to the next tick, apply it; until quit.
    private func screenLoop(commands: AsyncStream<SourceCommand>.Continuation) throws {
        let terminal = CursesTerminal()
        try terminal.start(wantColor: options.wantsColor)
        defer { terminal.stop() }
        terminal.setTheme(initialTheme)
        let loop = ScreenLoop(catalog: catalog, now: { self.screenTime($0) }, send: { commands.yield($0) },
                              step: { self.stepRequests.add(1, ordering: .relaxed) })
        loop.run(terminal, state: state)
    }

    /// The time frames are drawn at: now, or in a replay the newest sample's time.
    private func screenTime(_ state: DashboardState) -> Double {
        isReplay ? (state.latest?.time ?? 0) : wallClockSeconds()
    }
}

/// A sample that could not be taken, as the one line batch mode exits with.
struct SampleFailure: Error, CustomStringConvertible {
    let description: String
}

extension SourceCommand {
    var label: String {
        switch self {
        case .sweep: return "sweep"
        case .resize(let capacity): return "resize to \(capacity)"
        case .startLoad(let profile): return "load \(profile.rawValue)"
        case .stopLoad: return "stop load"
        case .lookUp(let text): return "look up \(text)"
        case .showCache(let name): return "show cache \(name)"
        }
    }
}

/// Runs blocking `work` on a new thread and awaits its result.
func onDedicatedThread<Result: Sendable>(_ work: @escaping @Sendable () throws -> Result) async throws -> Result {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Result, any Error>) in
        let thread = Thread {
            do {
                continuation.resume(returning: try work())
            } catch {
                continuation.resume(throwing: error)
            }
        }
        thread.stackSize = 1 << 22
        thread.start()
    }
}
