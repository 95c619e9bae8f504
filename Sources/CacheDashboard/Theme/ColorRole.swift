/// What a colour is for. Themes assign each role a colour; btop theme keys map onto roles
/// (``btopKeys``) so btop's theme files load as they are.
public enum ColorRole: String, Sendable, Hashable, CaseIterable, Codable {
    case mainBg, mainFg, title, hiFg, inactiveFg, graphText, meterBg
    case box
    case graphLow, graphMid, graphHigh
    case ok, warn, alarm

    /// The theme-file keys that set this role, in order of preference: cachetop's own key, then
    /// btop's.
    public var btopKeys: [String] {
        switch self {
        case .mainBg: return ["main_bg"]
        case .mainFg: return ["main_fg"]
        case .title: return ["title"]
        case .hiFg: return ["hi_fg"]
        case .inactiveFg: return ["inactive_fg"]
        case .graphText: return ["graph_text"]
        case .meterBg: return ["meter_bg"]
        case .box: return ["cachetop_box", "cpu_box", "div_line"]
        case .graphLow: return ["cachetop_graph_low", "cpu_start"]
        case .graphMid: return ["cachetop_graph_mid", "cpu_mid"]
        case .graphHigh: return ["cachetop_graph_high", "cpu_end"]
        case .ok: return ["cachetop_ok", "used_start", "free_start"]
        case .warn: return ["cachetop_warn", "used_mid", "temp_mid"]
        case .alarm: return ["cachetop_alarm", "used_end", "temp_end"]
        }
    }
}

/// A 24-bit colour.
public struct RGB: Sendable, Hashable, Codable, CustomStringConvertible {
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8

    public init(_ red: UInt8, _ green: UInt8, _ blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    public var description: String {
        "#" + [red, green, blue].map { value in
            let hex = String(value, radix: 16, uppercase: true)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
    }

    /// The nearest colour of the xterm 256-colour palette (cube or grey ramp).
    public var xterm256: Int {
        func cube(_ value: UInt8) -> Int { value < 48 ? 0 : value < 115 ? 1 : (Int(value) - 35) / 40 }
        let (r, g, b) = (cube(red), cube(green), cube(blue))
        let levels = [0, 95, 135, 175, 215, 255]
        let cubeColor = (levels[r], levels[g], levels[b])
        let average = (Int(red) + Int(green) + Int(blue)) / 3
        let greyIndex = average > 238 ? 23 : max(0, (average - 3) / 10)
        let grey = 8 + greyIndex * 10
        func distance(_ other: (Int, Int, Int)) -> Int {
            let dr = Int(red) - other.0, dg = Int(green) - other.1, db = Int(blue) - other.2
            return dr * dr + dg * dg + db * db
        }
        return distance((grey, grey, grey)) < distance(cubeColor) ? 232 + greyIndex : 16 + 36 * r + 6 * g + b
    }

    /// The nearest of the 8 basic terminal colours (0 black ... 7 white): greys go to black or
    /// white by brightness, other colours to the primaries and mixtures they lean towards.
    public var basic8: Int {
        let high = Int(max(red, green, blue)), low = Int(min(red, green, blue))
        if high - low < 48 { return (Int(red) + Int(green) + Int(blue)) / 3 >= 96 ? 7 : 0 }
        let threshold = (high + low) / 2
        let r = Int(red) >= threshold ? 1 : 0
        let g = Int(green) >= threshold ? 1 : 0
        let b = Int(blue) >= threshold ? 1 : 0
        return r | g << 1 | b << 2
    }
}
