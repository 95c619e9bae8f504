/// Compact human formats for figures on screen: at most about six characters each, so columns
/// stay aligned. Pure functions.
public enum Format {
    /// 1234 → "1234", 12345 → "12.3k", 1.5e6 → "1.50M", then G, T and P: at most six characters
    /// up to 1e18.
    public static func count(_ value: Double) -> String {
        guard value.isFinite else { return "-" }
        let magnitude = abs(value)
        switch magnitude {
        case ..<10_000: return value.rounded() == value ? String(Int(value)) : fixed(value, 1)
        case ..<1e6: return fixed(value / 1e3, magnitude < 1e5 ? 1 : 0) + "k"
        case ..<1e9: return fixed(value / 1e6, magnitude < 1e7 ? 2 : 1) + "M"
        case ..<1e12: return scaled(value / 1e9) + "G"
        case ..<1e15: return scaled(value / 1e12) + "T"
        default: return scaled(value / 1e15) + "P"
        }
    }

    public static func count(_ value: Int) -> String { count(Double(value)) }

    /// 1.5 → "1.50", 15 → "15.0", 150 → "150": three significant digits.
    private static func scaled(_ value: Double) -> String {
        fixed(value, abs(value) < 10 ? 2 : abs(value) < 100 ? 1 : 0)
    }

    /// A per-second rate: "12.3k/s".
    public static func rate(_ perSecond: Double) -> String { count(perSecond.rounded()) + "/s" }

    /// 0.8123 → "81.2%".
    public static func percent(_ fraction: Double) -> String {
        guard fraction.isFinite else { return "-" }
        return fixed(fraction * 100, 1) + "%"
    }

    /// Bytes in binary units: "512B", "1.5KiB", "43.2MiB".
    public static func bytes(_ value: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var scaled = Double(value)
        var unit = 0
        while abs(scaled) >= 1024, unit < units.count - 1 {
            scaled /= 1024
            unit += 1
        }
        return unit == 0 ? "\(value)B" : fixed(scaled, scaled < 100 ? 1 : 0) + units[unit]
    }

    /// A duration from nanoseconds: "850ns", "12.0µs" ("12.0us" with `ascii`), "3.4ms", "1.20s".
    public static func duration(nanoseconds: Int64, ascii: Bool = false) -> String {
        let value = Double(nanoseconds)
        switch abs(value) {
        case ..<1_000: return "\(nanoseconds)ns"
        case ..<1_000_000: return fixed(value / 1e3, 1) + (ascii ? "us" : "µs")
        case ..<1_000_000_000: return fixed(value / 1e6, 1) + "ms"
        default: return seconds(value / 1e9)
        }
    }

    /// Seconds as "4.2s", "3m05s", "2h13m", "3d04h".
    public static func seconds(_ value: Double) -> String {
        guard value.isFinite else { return "-" }
        if value < 60 { return fixed(value, value < 10 ? 1 : 0) + "s" }
        let total = Int(value)
        if total < 3600 { return "\(total / 60)m" + pad2(total % 60) + "s" }
        if total < 86_400 { return "\(total / 3600)h" + pad2(total / 60 % 60) + "m" }
        return "\(total / 86_400)d" + pad2(total / 3600 % 24) + "h"
    }

    /// `value` with `digits` decimals, without Foundation.
    public static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return "-" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        let whole = Int(scaled / scale)
        let sign = value < 0 && scaled > 0 ? "-" : ""
        guard digits > 0 else { return sign + String(whole) }
        let fraction = Int(scaled) - whole * Int(scale)
        var fractionText = String(fraction)
        while fractionText.count < digits { fractionText = "0" + fractionText }
        return sign + String(whole) + "." + fractionText
    }

    private static func pad2(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
}
