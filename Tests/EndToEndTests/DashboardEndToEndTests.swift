import Foundation
import Testing

/// The real binary in tmux, as an operator would use it.
@Suite(.serialized) struct DashboardEndToEndTests {
    let binary = Binary.cachetop

    @Test func demoShowsEveryPanelAndTheKeysAct() async throws {
        let session = try TmuxSession(command: "\(binary) demo --interval 0.5")
        defer { session.close() }
        let first = try await session.waitFor("rates") { $0.contains("ops ") && $0.contains("hits ") }
        for panel in ["Hit ratio", "Capacity", "Expiry queue", "Tasks", "Evictions", "Events", "pid ", "demo (steady)"] {
            #expect(first.contains(panel), "missing \(panel)")
        }

        try session.send("s")
        try await session.waitFor(text: "sweep: examined")
        let sweeps = figure(after: "sweeps", in: try session.screen()) ?? 0
        try session.send("s")
        try await session.waitFor("a higher sweep count") { (figure(after: "sweeps", in: $0) ?? 0) > sweeps }

        let capacityBefore = try session.screen().contains("/100k")
        #expect(capacityBefore)
        try session.send("]")
        try await session.waitFor(text: "/110k")

        let opsBefore = figure(after: "ops", in: try session.screen()) ?? 0
        try session.send("l")
        try await session.waitFor("ops/s to rise") { (figure(after: "ops", in: $0) ?? 0) > opsBefore * 1.5 + 1_000 }

        // The demo holds two caches: Tab shows the other one, and the header says which.
        try session.send("Tab")
        try await session.waitFor("the session cache") { $0.contains("cache sessions (2/2, Tab: next)") && $0.contains("/20.0k") }
        try session.send("Tab")
        try await session.waitFor(text: "cache demo (1/2, Tab: next)")

        try session.resize(width: 200, height: 60)
        try await session.waitFor("a 200-column layout") { screen in
            screen.split(separator: "\n").contains { $0.count > 150 && $0.contains("Capacity") }
        }
        try session.resize(width: 70, height: 20)
        try await session.waitFor(text: "terminal too small: need 80x24, have 70x20")
        try session.resize(width: 120, height: 40)
        try await session.waitFor(text: "Hit ratio")

        try session.send("q")
        try await session.waitFor("the program to exit") { _ in (try? session.paneDead()) == true }
    }

    /// A closed terminal (the tmux server killed, as when an SSH connection drops) ends the
    /// dashboard and its embedded engine: nothing keeps running without a screen.
    @Test func losingTheTerminalEndsTheDashboard() async throws {
        let session = try TmuxSession(command: "\(binary) demo")
        try await session.waitFor(text: "Hit ratio")
        let pid = try session.panePID()
        #expect(pid > 0)
        session.close()
        let deadline = ContinuousClock.now + .seconds(10)
        while kill(pid, 0) == 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(kill(pid, 0) != 0, "cachetop (pid \(pid)) still runs after its terminal closed")
    }

    @Test func quitAndSigtermLeaveTheTerminalUsable() async throws {
        let session = try TmuxSession()
        defer { session.close() }
        try session.type("\(binary) demo --interval 0.5; echo EXIT=$?")
        try session.send("Enter")
        try await session.waitFor(text: "Hit ratio")
        try session.send("q")
        try await session.waitFor(text: "EXIT=0")
        try session.type("clear; stty -a | tr ' ' '\\n' | grep -xE -- '-?(icanon|echo)' | tr '\\n' ' '; echo")
        try session.send("Enter")
        let afterQuit = try await session.waitFor(text: "icanon echo")
        #expect(!afterQuit.contains("-icanon") && !afterQuit.contains("-echo"))

        try session.type("clear; \(binary) demo --interval 0.5 & sleep 4; kill -TERM $!; wait $!; echo STATUS=$?")
        try session.send("Enter")
        try await session.waitFor(text: "STATUS=", timeout: .seconds(40))
        try session.type("clear; stty -a | tr ' ' '\\n' | grep -xE -- '-?(icanon|echo)' | tr '\\n' ' '; echo")
        try session.send("Enter")
        let afterTerm = try await session.waitFor(text: "icanon echo")
        #expect(!afterTerm.contains("-icanon"))
    }

    @Test func attachFollowsAHeadlessDemoThroughARestart() async throws {
        let directory = "/tmp/cachetop-e2e-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let socket = directory + "/demo.sock"
        func startHost() throws -> Process { try startHeadlessDemo(binary, socket: socket) }
        var host = try startHost()
        defer { if host.isRunning { host.terminate() } }
        let session = try TmuxSession(command: "\(binary) attach \(socket) --interval 0.5")
        defer { session.close() }
        let attached = try await session.waitFor("the host's figures") { $0.contains("pid \(host.processIdentifier)") && $0.contains("ops ") }
        #expect(attached.contains("/100k"), "the host's capacity")
        #expect(attached.contains(socket))

        // The same figures as the host reports through the one-shot command.
        try run(binary, ["resize", socket, "123456", "--cache", "demo"])
        try await session.waitFor(text: "/123k")

        host.terminate()
        host.waitUntilExit()
        #expect(!FileManager.default.fileExists(atPath: socket), "the headless demo removes its socket on SIGTERM")
        try await session.waitFor(text: "DISCONNECTED")

        host = try startHost()
        let resumed = try await session.waitFor("the restarted host") {
            $0.contains("pid \(host.processIdentifier)") && !$0.contains("DISCONNECTED")
        }
        #expect(resumed.contains("/100k"))
        try session.send("q")
        try await session.waitFor("the program to exit") { _ in (try? session.paneDead()) == true }
    }

    /// Attached to a live host, a mutating key asks first, naming the action and the target;
    /// `n` sends nothing, `y` sends it.
    @Test func attachedMutatingKeysAskFirst() async throws {
        let directory = "/tmp/cachetop-e2e-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let socket = directory + "/demo.sock"
        let host = try startHeadlessDemo(binary, socket: socket)
        defer { if host.isRunning { host.terminate() } }
        let session = try TmuxSession(command: "\(binary) attach \(socket) --interval 0.5")
        defer { session.close() }
        try await session.waitFor(text: "/100k")

        try session.send("]")
        try await session.waitFor(text: "resize demo 100000 -> 110000? y/N")
        try session.send("n")
        try await session.waitFor(text: "cancelled: resize demo 100000 -> 110000 (nothing sent)")
        try session.send("s")
        try await session.waitFor(text: "sweep demo now? y/N")
        try session.send("q")
        try await session.waitFor(text: "cancelled: sweep demo now")
        #expect(try run(binary, ["stats", socket]).contains("of 100000 entries"), "nothing reached the host")

        try session.send("]")
        try await session.waitFor(text: "y/N")
        try session.send("y")
        try await session.waitFor(text: "/110k")

        // The hottest keys are on screen (an estimate), and `/` looks one of them up.
        let hot = try await session.waitFor("a hot key") { hotKey(in: $0) != nil }
        let key = try #require(hotKey(in: hot))
        try session.send("/")
        try await session.waitFor(text: "find key: _")
        try session.type(key)
        try session.send("Enter")
        try await session.waitFor(text: "\(key): cached in shard #")
        try session.send("/")
        try session.type("user:not-a-number")
        try session.send("Enter")
        try await session.waitFor(text: "is not a key of cache 'demo'")
        try session.send("q")
        try await session.waitFor("the program to exit") { _ in (try? session.paneDead()) == true }
    }

    /// `Ctrl-Z` gives the shell its terminal back (the job is stopped) and `fg` brings the
    /// screen back, answering keys as before.
    @Test func ctrlZSuspendsAndFgRestoresTheScreen() async throws {
        let session = try TmuxSession()
        defer { session.close() }
        try session.type("\(binary) demo --interval 0.5")
        try session.send("Enter")
        // The key loop is running once the second sample's rates are on screen.
        try await session.waitFor("the rates") { $0.contains("ops ") && $0.contains("hits ") }
        try session.send("C-z")
        try await session.waitFor(text: "Stopped")
        try session.type("fg")
        try session.send("Enter")
        try await session.waitFor(text: "Hit ratio")
        try session.send("w")
        try await session.waitFor(text: "hit-ratio window: 5m")
        try session.send("q")
        try await session.waitFor("the shell again") { !$0.contains("Hit ratio") }
        try session.type("echo EXIT=$?")
        try session.send("Enter")
        try await session.waitFor(text: "EXIT=0")
    }

    /// The config file is read (a command-line option wins over it), a broken one is refused
    /// with path, line and reason while the program starts with the defaults, and with
    /// `save_on_exit` the theme and interval chosen on screen are kept.
    @Test func theConfigFileIsReadRefusedWhenBrokenAndSaved() async throws {
        let home = "/tmp/cachetop-e2e-\(UInt32.random(in: 0...UInt32.max))"
        let file = home + "/cachetop/cachetop.conf"
        try FileManager.default.createDirectory(atPath: home + "/cachetop", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        let environment: [String: String?] = ["XDG_CONFIG_HOME": home]
        let batch = ["demo", "-b", "-n", "1", "--size", "120x40"]

        try "interval = 2\nglyphs = \"ascii\"\n".write(toFile: file, atomically: true, encoding: .utf8)
        let configured = try runCapturing(binary, batch, environment: environment)
        #expect(configured.status == 0 && configured.stdout.contains("every 2.0s"), "\(configured.stderr)")
        let asciiOnly = configured.stdout.unicodeScalars.allSatisfy { $0.isASCII }
        #expect(asciiOnly, "glyphs = ascii")
        let overridden = try runCapturing(binary, batch + ["-d", "0.5"], environment: environment)
        #expect(overridden.stdout.contains("every 0.5s"), "the option wins over the file")

        try "interval = 2\ncolour = \"red\"\n".write(toFile: file, atomically: true, encoding: .utf8)
        let broken = try runCapturing(binary, batch, environment: environment)
        #expect(broken.status == 0, "a broken file does not stop the program")
        #expect(broken.stderr.contains("config \(file), line 2: unknown setting 'colour'"), "\(broken.stderr)")
        #expect(broken.stdout.contains("every 1.0s"), "the defaults, not half the file")

        try "save_on_exit = true\ntheme = \"default\"\n".write(toFile: file, atomically: true, encoding: .utf8)
        let session = try TmuxSession(command: "env XDG_CONFIG_HOME=\(home) \(binary) demo")
        defer { session.close() }
        try await session.waitFor(text: "Hit ratio")
        try session.send("t")
        try await session.waitFor(text: "theme: ")
        try session.send("-")
        try await session.waitFor(text: "refresh every 0.5s")
        try session.send("q")
        try await session.waitFor("the program to exit") { _ in (try? session.paneDead()) == true }
        let saved = try String(contentsOfFile: file, encoding: .utf8)
        #expect(saved.contains("save_on_exit = true") && saved.contains("interval = 0.50") && !saved.contains("theme = \"default\""),
                "saved: \(saved)")
    }

    /// While curses owns the terminal, log messages go to `--log FILE`, never onto the screen.
    @Test func logsGoToTheLogFileNotTheScreen() async throws {
        let directory = "/tmp/cachetop-e2e-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let log = directory + "/cachetop.log"
        let session = try TmuxSession(command: "\(binary) demo --socket \(directory)/demo.sock --log \(log)")
        defer { session.close() }
        let screen = try await session.waitFor(text: "Hit ratio")
        let deadline = ContinuousClock.now + .seconds(10)
        var written = ""
        while !written.contains("control socket listening"), ContinuousClock.now < deadline {
            written = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(written.contains("info cachetop: control socket listening path=\(directory)/demo.sock"), "log: \(written)")
        let later = try session.screen()
        #expect(!screen.contains("listening") && !later.contains("listening"))
        try session.send("q")
        try await session.waitFor("the program to exit") { _ in (try? session.paneDead()) == true }
        let refused = try statusAndErrors(binary, ["demo", "--log", directory + "/missing/x.log", "--batch"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("cannot open the log file \(directory)/missing/x.log: No such file or directory"), "\(refused.stderr)")
    }

    /// An objective the demo cannot meet is flagged in the header and the event log, and drawn
    /// beside its figure.
    @Test func anSLOBreachIsFlagged() async throws {
        let session = try TmuxSession(command: "\(binary) demo -d 0.5 --slo hit=99.99%,memory=64GiB")
        defer { session.close() }
        let screen = try await session.waitFor(text: "SLO BREACH: hit")
        #expect(screen.contains("slo ≥99.99%"), "the objective beside the hit ratio, as written")
        try await session.waitFor(text: "SLO breached: hit")
        #expect(try session.screen().contains("≤64.0GiB"), "the memory objective beside the resident memory")
        try session.send("q")
        try await session.waitFor("the program to exit") { _ in (try? session.paneDead()) == true }
    }

    @Test func colourFollowsTheTerminalAndTheNoColorConvention() async throws {
        let colour = try TmuxSession(command: "env -u NO_COLOR TERM=xterm-256color \(binary) demo")
        defer { colour.close() }
        try await colour.waitFor(text: "Hit ratio")
        #expect(try colour.screenWithEscapes().contains("38;5;"), "256-colour foregrounds")
        let basic = try TmuxSession(command: "env -u NO_COLOR TERM=xterm \(binary) demo")
        defer { basic.close() }
        try await basic.waitFor(text: "Hit ratio")
        let eight = try basic.screenWithEscapes()
        func basicColours(_ screen: String) -> Bool { (0...7).contains { screen.contains("\u{1B}[3\($0)m") } }
        #expect(!eight.contains("38;5;") && basicColours(eight), "8-colour foregrounds only")
        let none = try TmuxSession(command: "env NO_COLOR=1 TERM=xterm-256color \(binary) demo")
        defer { none.close() }
        try await none.waitFor(text: "Hit ratio")
        let plain = try none.screenWithEscapes()
        #expect(!plain.contains("38;5;") && !basicColours(plain), "no colour with NO_COLOR")
        #expect(plain.contains("\u{1B}[1m"), "bold still marks emphasis")
    }

    @Test func batchModePrintsPlainFramesWithoutATerminal() throws {
        let output = try run(binary, ["demo", "--batch", "-n", "2", "--interval", "0.5", "--ascii", "--size", "100x30"])
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.filter { $0.hasPrefix("cachetop | demo (steady)") }.count == 2)
        #expect(output.unicodeScalars.allSatisfy { $0.isASCII })
        #expect(lines.allSatisfy { $0.count <= 100 })
    }

    @Test func recordThenReplayShowsTheRecording() async throws {
        let file = "/tmp/cachetop-e2e-\(UInt32.random(in: 0...UInt32.max)).jsonl"
        defer { try? FileManager.default.removeItem(atPath: file) }
        try run(binary, ["demo", "--batch", "-n", "3", "--interval", "0.25", "--record", file])
        let recorded = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n")
        #expect(recorded.count == 4, "a priming sample and one per frame")
        let replay = try run(binary, ["replay", file, "--batch", "-n", "2", "--size", "120x40"])
        #expect(replay.contains("REPLAY 1x"))
        #expect(replay.contains("demo (steady)"))
    }

    /// On screen, a replay plays the recorded samples, `p` pauses it, `n` steps one sample while
    /// paused, and the end of the recording is said, with the last frame left up.
    @Test func anInteractiveReplayPausesStepsAndEnds() async throws {
        let file = "/tmp/cachetop-e2e-\(UInt32.random(in: 0...UInt32.max)).jsonl"
        defer { try? FileManager.default.removeItem(atPath: file) }
        try run(binary, ["demo", "--batch", "-n", "8", "--interval", "0.25", "--record", file])
        let session = try TmuxSession(command: "\(binary) replay \(file)")
        defer { session.close() }
        try await session.waitFor(text: "REPLAY 1x")
        try session.send("p")
        let paused = try await session.waitFor(text: "PAUSED")
        let before = sequence(in: paused)
        try session.send("n")
        let stepped = try await session.waitFor("one step") { sequence(in: $0) != before }
        #expect(stepped.contains("PAUSED"), "still paused after the step")
        try session.send("p")
        try await session.waitFor(text: "end of recording (9 samples)")
        try session.send("q")
        try await session.waitFor("the program to exit") { _ in (try? session.paneDead()) == true }
    }

    @Test func versionIsTheEnginesAndTheSnapshotCarriesIt() throws {
        let printed = try run(binary, ["--version"]).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(printed.split(separator: ".").count == 3, "cachetop --version printed \(printed)")
        let file = "/tmp/cachetop-version-\(UInt32.random(in: 0...UInt32.max)).jsonl"
        defer { try? FileManager.default.removeItem(atPath: file) }
        try run(binary, ["demo", "--batch", "-n", "1", "--interval", "0.25", "--record", file])
        let recording = try String(contentsOfFile: file, encoding: .utf8)
        #expect(recording.contains("\"engine_version\":\"\(printed)\""))
    }

    @Test func badArgumentsGetOneClearLine() throws {
        func failure(_ arguments: [String]) throws -> (status: Int32, stderr: String) {
            try statusAndErrors(binary, arguments)
        }
        let missing = try failure(["stats", "/tmp/definitely-not-here.sock"])
        #expect(missing.status == 1)
        #expect(missing.stderr == "cachetop: no such socket: /tmp/definitely-not-here.sock\n")
        let theme = "/tmp/cachetop-bad-\(UInt32.random(in: 0...UInt32.max)).theme"
        try "theme[main_fg]=\"#12\"\ntheme[title]=nope\n".write(toFile: theme, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: theme) }
        let badTheme = try failure(["demo", "--batch", "--theme", theme])
        #expect(badTheme.status == 1)
        #expect(badTheme.stderr.contains("theme \(theme), line 2: the value of title must be quoted"))
        let interval = try failure(["demo", "--interval", "0"])
        #expect(interval.status != 0)
        #expect(interval.stderr.contains("--interval must be between 0.25 and 10 seconds"))
        let dead = try failure(["attach", "-b", "-d", "0.5", "/tmp/definitely-not-here.sock"])
        #expect(dead.status == 1, "a dead socket in batch mode exits non-zero")
        #expect(dead.stderr == "cachetop: cannot sample the target: no such socket: /tmp/definitely-not-here.sock\n")
    }

    /// `cachetop fleet --dir` over three headless demos: one row per cache of each process,
    /// their pids, the fleet header; `--json` lists the same; bad arguments get one line each.
    @Test func fleetOverASocketDirectoryAndItsBadArguments() async throws {
        let directory = "/tmp/cachetop-e2e-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let hosts = try (1...3).map { try startHeadlessDemo(binary, socket: "\(directory)/demo\($0).sock") }
        defer { for host in hosts { host.terminate(); host.waitUntilExit() } }
        let deadline = ContinuousClock.now + .seconds(30)
        while (1...3).contains(where: { !FileManager.default.fileExists(atPath: "\(directory)/demo\($0).sock") }),
              ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        let frame = try run(binary, ["fleet", "--dir", directory, "-b", "-n", "1", "-d", "0.5", "--size", "130x30"])
        #expect(frame.contains("3 processes, 6 caches: 6 up 0 stale 0 lost"), "\(frame)")
        for host in hosts { #expect(frame.contains(" \(host.processIdentifier) "), "pid \(host.processIdentifier) listed") }
        #expect(frame.contains("hit ") && frame.contains("Σhits÷Σgets"))
        let json = try run(binary, ["fleet", "--dir", directory, "--json", "-d", "0.5"])
        let report = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        #expect((report?["instances"] as? [Any])?.count == 6)

        let both = try statusAndErrors(binary, ["fleet", "--db", "dbname=x", "--dir", directory])
        #expect(both.status != 0 && both.stderr.contains("give one of --db, --dir and --hosts"))
        let list = directory + "/list"
        try "# the fleet\n\(directory)/demo1.sock\nrelative.sock\n".write(toFile: list, atomically: true, encoding: .utf8)
        let relative = try statusAndErrors(binary, ["fleet", "--hosts", list, "-b"])
        #expect(relative.status == 1)
        #expect(relative.stderr == "cachetop: \(list):3: 'relative.sock' is not an absolute socket path\n")
        let missing = try statusAndErrors(binary, ["fleet", "--dir", directory + "/nothing", "-b"])
        #expect(missing.stderr == "cachetop: --dir \(directory)/nothing does not exist\n")
        let database = try statusAndErrors(binary, ["fleet", "--db", "host=\(directory)/no-database", "--json", "-d", "0.5"])
        #expect(database.status == 1)
        #expect(database.stderr.hasPrefix("cachetop: cannot read the fleet: "), "\(database.stderr)")
    }

    /// `attach` without a socket: `$CACHETOP_SOCKET`, else the only socket in
    /// `$XDG_RUNTIME_DIR/cachetop/`, else one line saying what it looked for.
    @Test func attachFindsTheSocketOrSaysWhereItLooked() async throws {
        let runtime = "/tmp/cachetop-e2e-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: runtime, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: runtime) }
        let environment: [String: String?] = ["XDG_RUNTIME_DIR": runtime, "CACHETOP_SOCKET": nil]
        let arguments = ["attach", "-b", "-n", "1", "-d", "0.5", "--size", "200x40"]
        let none = try runCapturing(binary, arguments, environment: environment)
        #expect(none.status == 1)
        #expect(none.stderr == "cachetop: no socket given, $CACHETOP_SOCKET is not set and \(runtime)/cachetop holds no socket: name the host's socket\n")

        try FileManager.default.createDirectory(atPath: runtime + "/cachetop", withIntermediateDirectories: true)
        let host = try startHeadlessDemo(binary, socket: runtime + "/cachetop/demo.sock")
        defer { if host.isRunning { host.terminate() } }
        let deadline = ContinuousClock.now + .seconds(10)
        while !FileManager.default.fileExists(atPath: runtime + "/cachetop/demo.sock"), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        let found = try runCapturing(binary, arguments, environment: environment)
        #expect(found.status == 0, "\(found.stderr)")
        #expect(found.stdout.contains("\(runtime)/cachetop/demo.sock · cache demo (1/2, Tab: next) · pid \(host.processIdentifier)"))

        let named = try runCapturing(binary, arguments, environment: ["CACHETOP_SOCKET": "/tmp/definitely-not-here.sock"])
        #expect(named.status == 1 && named.stderr.contains("no such socket: /tmp/definitely-not-here.sock"))
    }
}

/// Another user against a host's socket, through the real CLI: the file mode stops them at
/// connect, and where the mode lets them connect, the peer-credential check refuses them.
@Suite(.serialized) struct OtherUserEndToEndTests {
    let binary = Binary.cachetop

    /// Runs `cachetop ARGS` as the unprivileged user 65534; nil when this test cannot switch user.
    func asNobody(_ arguments: [String]) throws -> (status: Int32, stderr: String)? {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else { return nil }
        return try statusAndErrors("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", binary] + arguments)
    }

    @Test func anotherUserIsStoppedByTheSocketModeThenByPeerCredentials() async throws {
        let directory = "/tmp/cachetop-e2e-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o755])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let socket = directory + "/demo.sock"
        let host = try startHeadlessDemo(binary, socket: socket)
        defer { host.terminate(); host.waitUntilExit() }
        let deadline = ContinuousClock.now + .seconds(30)
        while !FileManager.default.fileExists(atPath: socket), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(try run(binary, ["stats", socket]).contains("cache "), "the owner is served")

        guard let denied = try asNobody(["stats", socket]) else { return }
        #expect(denied.status == 1)
        #expect(denied.stderr == "cachetop: permission denied: \(socket)\n")

        // Open the file to everyone: the peer-credential check still refuses another uid.
        chmod(socket, 0o666)
        let refused = try #require(try asNobody(["sweep", socket]))
        #expect(refused.status == 1)
        #expect(refused.stderr == "cachetop: refused by the host (403): uid 65534 may not use this control socket\n")
    }
}

/// The first key of the hot-keys panel on `screen`, if it shows one.
private func hotKey(in screen: String) -> String? {
    let lines = screen.split(separator: "\n")
    guard let header = lines.firstIndex(where: { $0.contains("Hot keys") }), header + 2 < lines.count else { return nil }
    let row = lines[header + 2]
    guard let start = row.range(of: "user:") else { return nil }
    return String(row[start.lowerBound...].prefix { !$0.isWhitespace && $0 != "│" })
}

/// The header's uptime ("up 1.2s"): a sample's identity on screen.
private func sequence(in screen: String) -> String? {
    guard let range = screen.range(of: "up ") else { return nil }
    return String(screen[range.upperBound...].prefix { $0 != " " })
}
