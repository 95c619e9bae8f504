@testable import CacheDashboard
import Testing

/// `cachetop.conf`: every setting read, every bad line refused with its number and reason, and
/// saving the on-screen choices keeps everything else in the file.
@Suite struct ConfigTests {
    @Test func everySettingIsRead() throws {
        let text = """
        # my settings
        theme = "light"
        interval = 2   # slower
        slo = "hit=92.5%,load-p95=8ms"
        glyphs = "blocks"
        save_on_exit = true
        """
        let config = try DashboardConfig.parse(text, path: "/c")
        #expect(config.theme == "light" && config.interval == 2 && config.glyphs == .blocks && config.saveOnExit)
        #expect(config.slo?.hitRatio == 0.925 && config.sloText == "hit=92.5%,load-p95=8ms")
        #expect(try DashboardConfig.parse("", path: "/c") == DashboardConfig())
    }

    @Test func badLinesAreRefusedWithTheirNumber() {
        let cases: [(String, Int, String)] = [
            ("theme = \"x\"\ncolour = \"red\"", 2, "unknown setting 'colour': use theme, interval, slo, glyphs, save_on_exit"),
            ("interval = 0", 1, "interval must be between 0.25 and 10 seconds, got '0'"),
            ("\n\nglyphs = \"emoji\"", 3, "glyphs must be braille, blocks or ascii, got 'emoji'"),
            ("slo = \"hit=200%\"", 1, "SLO hit must be a percentage above 0 and at most 100, such as hit=92.5%, got '200%'"),
            ("save_on_exit = yes", 1, "save_on_exit must be true or false, got 'yes'"),
            ("just words", 1, "expected name = value, found 'just words'"),
        ]
        for (text, line, reason) in cases {
            #expect(throws: ConfigError(path: "/etc/c.conf", line: line, reason: reason)) { _ = try DashboardConfig.parse(text, path: "/etc/c.conf") }
        }
        #expect(ConfigError(path: "/p", line: 2, reason: "r").description == "config /p, line 2: r")
    }

    @Test func savingKeepsEverythingButTheChoices() throws {
        let original = "# mine\ntheme = \"default\" # dark\nslo = \"hit=90%\"\nsave_on_exit = true\n"
        let saved = DashboardConfig.updating(original, theme: "light", interval: 0.5)
        #expect(saved == "# mine\ntheme = \"light\"\nslo = \"hit=90%\"\nsave_on_exit = true\ninterval = 0.50\n")
        let reread = try DashboardConfig.parse(saved, path: "/c")
        #expect(reread.theme == "light" && reread.interval == 0.5 && reread.sloText == "hit=90%")
        #expect(DashboardConfig.updating("", theme: "default", interval: 2) == "theme = \"default\"\ninterval = 2\n")
    }
}
