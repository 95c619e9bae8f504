/// How many colours the terminal shows, decided once at start.
public enum ColorMode: Sendable, Equatable {
    /// Attributes only (bold, reverse): `--no-color`, `NO_COLOR`, or a terminal without colour.
    case none
    /// The 8 basic colours.
    case basic
    /// The xterm 256-colour palette.
    case palette256
}
