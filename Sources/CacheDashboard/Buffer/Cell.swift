/// How a cell looks: a colour role the theme resolves, and attributes that also carry meaning
/// without colour (bold for titles and emphasis, reverse for alarms and badges).
public struct Style: Sendable, Hashable {
    public var role: ColorRole
    /// The background role; nil: the theme's main background.
    public var background: ColorRole?
    public var bold: Bool
    public var reverse: Bool

    public init(_ role: ColorRole = .mainFg, background: ColorRole? = nil, bold: Bool = false, reverse: Bool = false) {
        self.role = role
        self.background = background
        self.bold = bold
        self.reverse = reverse
    }

    public static let plain = Style()
    public static let title = Style(.title, bold: true)
    public static let label = Style(.inactiveFg)
    public static let value = Style(.mainFg, bold: true)
    public static let highlight = Style(.hiFg, bold: true)
    public static let box = Style(.box)
    public static let ok = Style(.ok)
    public static let warn = Style(.warn, bold: true)
    public static let alarm = Style(.alarm, bold: true, reverse: true)
}

/// One character cell: a single-width scalar and its style.
public struct Cell: Sendable, Hashable {
    public var scalar: Unicode.Scalar
    public var style: Style

    public init(_ scalar: Unicode.Scalar = " ", style: Style = .plain) {
        self.scalar = scalar
        self.style = style
    }
}
