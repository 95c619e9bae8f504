@testable import CacheDashboard
import Foundation
import Testing

@Suite struct ThemeTests {
    static let themes = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("themes").path

    @Test func shippedThemesLoadAndTheDefaultMatchesTheBuiltIn() throws {
        let catalog = ThemeCatalog(directories: [Self.themes])
        #expect(Set(catalog.names()).isSuperset(of: ["default", "light", "high-contrast", "monochrome"]))
        for name in catalog.names() {
            let theme = try catalog.load(name)
            #expect(theme.name == name)
            #expect(theme.colors[.mainFg] != nil, "\(name) sets main_fg")
        }
        #expect(try catalog.load("default").colors == Theme.builtIn.colors)
    }

    @Test func aBtopThemeLoadsAsItIs() throws {
        let btop = """
        #Bashtop theme with flat colors
        theme[main_bg]=""
        theme[main_fg]="#cc"
        theme[title]="#ee"
        theme[hi_fg]="#90"
        theme[selected_bg]="#7e2626"
        theme[inactive_fg]="#40"
        theme[proc_misc]="#0de756"
        theme[cpu_box]="#3d7b46"
        theme[div_line]="#30"
        theme[temp_start]="#4897d4"
        theme[cpu_start]="#50f095"
        theme[cpu_mid]="#f2e266"
        theme[cpu_end]="#fa1e1e"
        theme[used_start]="#592b26"
        theme[used_mid]="#d9626d"
        theme[used_end]="#ff4769"
        theme[download_start]="50 16 164"
        """
        let theme = try ThemeParser.parse(btop, name: "flat", path: "flat.theme")
        #expect(theme.colors[.mainFg] == RGB(0xCC, 0xCC, 0xCC))
        #expect(theme.colors[.box] == RGB(0x3D, 0x7B, 0x46), "cpu_box draws the boxes")
        #expect(theme.colors[.graphHigh] == RGB(0xFA, 0x1E, 0x1E))
        #expect(theme.colors[.mainBg] == nil, "an empty value leaves the terminal's default")
    }

    @Test func brokenThemesAreRefusedWithPathLineAndReason() throws {
        let cases: [(String, Int, String)] = [
            ("theme[main_fg]=\"#12345\"", 1, "is not a colour for main_fg"),
            ("# ok\ntheme[title]=\"#FFFFFF\"\ntheme[hi_fg]=#FFFFFF", 3, "must be quoted"),
            ("theme[main_fg]=\"#FFFFFF\"\nmain_bg = black", 2, "expected theme[key]=\"value\""),
            ("theme[]=\"#FFFFFF\"", 1, "invalid key"),
            ("theme[main_fg] \"#FFFFFF\"", 1, "expected '='"),
            ("theme[main_fg]=\"300 0 0\"", 1, "is not a colour"),
            ("theme[download_start]=\"#FFFFFF\"", 0, "sets no colour"),
        ]
        for (text, line, fragment) in cases {
            #expect {
                _ = try ThemeParser.parse(text, name: "broken", path: "/tmp/broken.theme")
            } throws: { error in
                guard let error = error as? ThemeError else { return false }
                return error.line == line && error.path == "/tmp/broken.theme" && error.description.contains(fragment)
            }
        }
        let missing = ThemeCatalog(directories: [Self.themes])
        #expect(throws: ThemeError.self) { try missing.load("no-such-theme") }
        #expect(throws: ThemeError.self) { try missing.load("/nonexistent/x.theme") }
    }

    @Test func coloursFallBackTo256And8() {
        #expect(RGB(0xFF, 0x00, 0x00).xterm256 == 196)
        #expect(RGB(0x00, 0x00, 0x00).xterm256 == 16)
        #expect(RGB(0x80, 0x80, 0x80).xterm256 == 244)
        #expect(RGB(0xFF, 0x00, 0x00).basic8 == 1)
        #expect(RGB(0x00, 0xFF, 0x00).basic8 == 2)
        #expect(RGB(0x5F, 0xAF, 0xFF).basic8 == 6)
        #expect(RGB(0xEE, 0xEE, 0xEE).basic8 == 7)
        #expect(RGB(0x10, 0x10, 0x10).basic8 == 0)
        #expect(RGB(0xD0, 0xD6, 0xDE).basic8 == 7, "a light grey is white, not blue")
        #expect(RGB(0x10, 0x14, 0x1A).basic8 == 0)
    }
}
