@testable import CacheDashboard
import Foundation
import Testing

@Suite struct KeyMapTests {
    /// Every key the help overlay lists is dispatched to its action, and every bound key is listed.
    @Test func helpAndDispatchAgree() {
        let samples = SampleFactory.sequence(count: 5)
        var state = SampleFactory.state(samples)
        state.escapeReturns = true
        _ = state.handle(.character("?"), now: 0)
        let help = DashboardView.render(state, width: 120, height: 40, now: samples.last!.time).text()
        for binding in KeyMap.bindings where !binding.replayOnly {
            #expect(help.contains(KeyMap.keyLabels(binding) + " "), "help lacks \(KeyMap.keyLabels(binding))")
            #expect(help.contains(binding.help), "help lacks '\(binding.help)'")
            for key in binding.keys { #expect(KeyMap.action(for: key) == binding.action) }
        }
        let keys = KeyMap.bindings.flatMap(\.keys)
        #expect(Set(keys).count == keys.count, "a key is bound twice")
        #expect(Set(KeyMap.bindings.map(\.action)) == Set(Action.allCases), "an action has no key")
    }

    /// Every action does something observable when its key is pressed.
    @Test func everyBoundKeyHasAnEffect() {
        let samples = SampleFactory.sequence(count: 5)
        let now = samples.last!.time
        func press(_ key: Key, mode: DashboardState.Mode = .live) -> (DashboardState, [Effect]) {
            var state = DashboardState(mode: mode, glyphs: Glyphs(graph: .braille), themeNames: ["default", "light"])
            for sample in samples { state.ingest(sample) }
            let effects = state.handle(key, now: now)
            return (state, effects)
        }
        #expect(press(.character("q")).1 == [.quit])
        #expect(press(.control("c")).1 == [.quit])
        #expect(press(.function(1)).0.showHelp)
        #expect(press(.character("s")).1 == [.command(.sweep)])
        #expect(press(.character("]")).1 == [.command(.resize(110_000))])
        #expect(press(.character("[")).1 == [.command(.resize(90_000))])
        #expect(press(.character("c")).0.prompt == "")
        #expect(press(.character("l")).1 == [.command(.startLoad(.steady))])
        #expect(press(.character("L")).0.profile == .flashCrowd)
        #expect(press(.character(" ")).0.isPaused)
        #expect(press(.character("<")).0.interval == 2)
        #expect(press(.character(">")).0.interval == 0.5)
        #expect(press(.character("+")).0.interval == 2, "btop's + lengthens the interval")
        #expect(press(.character("-")).0.interval == 0.5)
        #expect(press(.character("w")).0.window == .fiveMinutes)
        #expect(press(.character("t")).1 == [.themeChanged("light")])
        #expect(press(.character("n"), mode: .replay).0.events.last?.text == "step works while paused (p)")
        var fromFleet = DashboardState(glyphs: .ascii)
        fromFleet.escapeReturns = true
        #expect(fromFleet.handle(.escape, now: now) == [.quit], "Esc returns to the fleet table")
        #expect(press(.escape).1.isEmpty, "Esc does not quit a screen not opened from the fleet")
    }

    @Test func capacityPromptAcceptsDigitsAndRefusesNonsense() {
        var state = SampleFactory.state(SampleFactory.sequence(count: 3))
        _ = state.handle(.character("c"), now: 0)
        for character in "12x5" { _ = state.handle(.character(character), now: 0) }
        _ = state.handle(.backspace, now: 0)
        #expect(state.prompt == "12")
        #expect(state.handle(.enter, now: 0) == [.command(.resize(12))])
        _ = state.handle(.character("c"), now: 0)
        #expect(state.handle(.enter, now: 0).isEmpty)
        #expect(state.events.last?.isError == true)
        _ = state.handle(.character("c"), now: 0)
        _ = state.handle(.escape, now: 0)
        #expect(state.prompt == nil)
    }

    @Test func mutatingKeysAreRefusedWhenReadOnlyOrInReplay() {
        let samples = SampleFactory.sequence(count: 3)
        var readOnly = DashboardState(readOnly: true, glyphs: .ascii)
        var replay = DashboardState(mode: .replay, glyphs: .ascii)
        var hostReadOnly = DashboardState(glyphs: .ascii)
        for sample in samples {
            readOnly.ingest(sample)
            replay.ingest(sample)
            var flagged = sample
            flagged.target.readOnly = true
            hostReadOnly.ingest(flagged)
        }
        for key: Key in [.character("s"), .character("]"), .character("["), .character("c"), .character("l")] {
            #expect(readOnly.handle(key, now: 0).isEmpty)
            #expect(readOnly.events.last?.text.contains("read-only") == true)
            #expect(replay.handle(key, now: 0).isEmpty)
            #expect(hostReadOnly.handle(key, now: 0).isEmpty)
            #expect(hostReadOnly.events.last?.text.contains("host is read-only") == true)
        }
        #expect(readOnly.prompt == nil)
        let header = DashboardView.render(readOnly, width: 80, height: 24, now: 0).line(0)
        #expect(header.contains("READ-ONLY"))
    }

    /// Attached to a live process, no single key changes it: each mutating key asks a question
    /// that names the action and the target, `y` sends, anything else sends nothing.
    @Test func attachedMutatingKeysAskFirstAndNameTheTarget() {
        let samples = SampleFactory.sequence(count: 3)
        var state = DashboardState(confirmsActions: true, glyphs: .ascii)
        for var sample in samples {
            sample.target.cache = "users"
            state.ingest(sample)
        }
        let cases: [(keys: [Key], question: String, command: SourceCommand)] = [
            ([.character("]")], "resize users 100000 -> 110000?", .resize(110_000)),
            ([.character("[")], "resize users 100000 -> 90000?", .resize(90_000)),
            ([.character("c"), .character("5"), .character("0"), .enter], "resize users 100000 -> 50?", .resize(50)),
            ([.character("s")], "sweep users now?", .sweep),
            ([.character("l")], "inject steady load into users?", .startLoad(.steady)),
        ]
        for (keys, question, command) in cases {
            for key in keys { #expect(state.handle(key, now: 0).isEmpty, "\(key) sent something before y") }
            #expect(state.confirmation?.question == question)
            let footer = DashboardView.render(state, width: 120, height: 40, now: 0).line(39)
            #expect(footer.contains(question + " y/N"), "footer: \(footer)")
            #expect(state.handle(.character("n"), now: 0).isEmpty, "n sends nothing")
            #expect(state.confirmation == nil)
            #expect(state.events.last?.text.hasPrefix("cancelled") == true)
            for key in keys { _ = state.handle(key, now: 0) }
            #expect(state.handle(.enter, now: 0).isEmpty, "Enter is not yes")
            for key in keys { _ = state.handle(key, now: 0) }
            #expect(state.handle(.character("y"), now: 0) == [.command(command)])
        }
    }

    @Test func readmeShowsTheKeyMapTable() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains(KeyMap.markdownTable()), "README.md's key table differs from KeyMap; paste `cachetop keys`")
    }
}
