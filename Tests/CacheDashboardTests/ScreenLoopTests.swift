@testable import CacheDashboard
import Synchronization
import Testing

/// A backend that plays keys from a script and keeps every frame: the screen loop without a
/// terminal.
final class ScriptedBackend: DashboardBackend {
    var size = (width: 120, height: 40)
    var keys: [Key?]
    var frames: [CellBuffer] = []
    var themes: [String] = []
    var suspensions = 0
    var terminationRequested: Int32?

    init(keys: [Key?]) { self.keys = keys }

    func draw(_ frame: CellBuffer) { frames.append(frame) }

    func nextKey(timeoutMilliseconds: Int) -> Key? {
        // The script ran out: ask to stop, as a SIGTERM would.
        guard !keys.isEmpty else {
            terminationRequested = 15
            return nil
        }
        return keys.removeFirst()
    }

    func setTheme(_ theme: Theme) { themes.append(theme.name) }
    func suspend() { suspensions += 1 }
}

@Suite struct ScreenLoopTests {
    func run(_ keys: [Key?], confirmsActions: Bool = false) -> (ScriptedBackend, [SourceCommand], DashboardState) {
        let samples = SampleFactory.sequence(count: 5)
        var initial = DashboardState(confirmsActions: confirmsActions, glyphs: .ascii, themeNames: ["default", "light"])
        for sample in samples { initial.ingest(sample) }
        let state = Mutex(initial)
        let backend = ScriptedBackend(keys: keys)
        var sent: [SourceCommand] = []
        let themes = String(#filePath).split(separator: "/").dropLast(3).joined(separator: "/")
        let loop = ScreenLoop(catalog: ThemeCatalog(directories: ["/" + themes + "/themes"]), now: { _ in samples.last!.time },
                              send: { sent.append($0) }, step: {})
        loop.run(backend, state: state)
        return (backend, sent, state.withLock { $0 })
    }

    @Test func keysBecomeCommandsThemesAndFramesUntilQuit() {
        let (backend, sent, state) = run([nil, .character("s"), .character("]"), .character("t"), .control("z"), .character("q"), .character("s")])
        #expect(sent == [.sweep, .resize(110_000)])
        #expect(backend.themes == ["light"], "t loads the next theme into the backend")
        #expect(backend.suspensions == 1)
        #expect(backend.frames.count == 6, "a frame before every key wait; nothing after q")
        #expect(backend.frames.last?.line(0).hasPrefix("cachetop") == true)
        #expect(state.themeName == "light")
        #expect(backend.terminationRequested == nil, "q ended the loop, not the script")
    }

    @Test func attachedTheLoopSendsAChangeOnlyAfterYes() {
        let (_, sent, _) = run([.character("]"), .character("n"), .character("s"), .character("y")], confirmsActions: true)
        #expect(sent == [.sweep])
    }

    @Test func aTerminationSignalEndsTheLoop() {
        let (backend, sent, _) = run([])
        #expect(sent.isEmpty && backend.terminationRequested == 15 && backend.frames.count == 1)
    }

    @Test func theDiffNamesOnlyChangedRows() {
        var before = CellBuffer(width: 4, height: 3)
        before.put("abcd", x: 0, y: 1)
        var after = before
        after.put("x", x: 2, y: 2)
        #expect(ScreenDiff.changedRows(from: before, to: after) == [2])
        #expect(ScreenDiff.changedRows(from: nil, to: after) == [0, 1, 2])
        #expect(ScreenDiff.changedRows(from: CellBuffer(width: 5, height: 3), to: after) == [0, 1, 2], "a new size redraws all")
    }
}
