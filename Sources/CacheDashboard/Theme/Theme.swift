/// A colour for every ``ColorRole``, read from a btop-format theme file or built in.
public struct Theme: Sendable, Equatable {
    public var name: String
    /// Colours by role; a role without one uses the terminal's default colour.
    public var colors: [ColorRole: RGB]

    public init(name: String, colors: [ColorRole: RGB]) {
        self.name = name
        self.colors = colors
    }

    /// The dark default, the same as themes/default.theme (a test keeps them equal), so the
    /// binary has colours even when no theme directory is found.
    public static let builtIn = Theme(name: "default", colors: [
        .mainBg: RGB(0x10, 0x14, 0x1A), .mainFg: RGB(0xD0, 0xD6, 0xDE), .title: RGB(0xEE, 0xEE, 0xEE),
        .hiFg: RGB(0x5F, 0xAF, 0xFF),
        .inactiveFg: RGB(0x7A, 0x84, 0x90), .graphText: RGB(0xA0, 0xA8, 0xB4), .meterBg: RGB(0x3A, 0x40, 0x48),
        .box: RGB(0x4A, 0x6A, 0x8A),
        .graphLow: RGB(0xD0, 0x5A, 0x5A), .graphMid: RGB(0xE0, 0xB0, 0x40), .graphHigh: RGB(0x5A, 0xC8, 0x78),
        .ok: RGB(0x5A, 0xC8, 0x78), .warn: RGB(0xE0, 0xB0, 0x40), .alarm: RGB(0xFF, 0x50, 0x50),
    ])
}
