/// Why a theme file was refused: its path, the line, and what is wrong there.
public struct ThemeError: Error, Equatable, Sendable, CustomStringConvertible {
    public var path: String
    /// 1-based; 0 when the file as a whole is the problem.
    public var line: Int
    public var reason: String

    public var description: String {
        line == 0 ? "theme \(path): \(reason)" : "theme \(path), line \(line): \(reason)"
    }
}

/// Reads btop's theme-file format: lines of `theme[key]="value"`, comments starting with `#`,
/// blank lines. A value is `#RRGGBB`, `#GG` (a grey), `R G B` (decimal 0-255) or empty
/// (unset). Keys that map to no ``ColorRole`` are accepted and ignored, so any btop theme
/// loads. O(file size).
public enum ThemeParser {
    public static func parse(_ text: String, name: String, path: String) throws(ThemeError) -> Theme {
        var values: [String: RGB] = [:]
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.trimmingCharacters(in: " \t\r")
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard line.hasPrefix("theme["), let close = line.firstIndex(of: "]") else {
                throw ThemeError(path: path, line: lineNumber, reason: "expected theme[key]=\"value\", found '\(line.prefix(40))'")
            }
            let key = String(line[line.index(line.startIndex, offsetBy: 6)..<close])
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                throw ThemeError(path: path, line: lineNumber, reason: "invalid key '\(key)'")
            }
            var rest = line[line.index(after: close)...].trimmingCharacters(in: " \t")
            guard rest.hasPrefix("=") else {
                throw ThemeError(path: path, line: lineNumber, reason: "expected '=' after theme[\(key)]")
            }
            rest = String(rest.dropFirst()).trimmingCharacters(in: " \t")
            guard rest.count >= 2, rest.first == "\"" || rest.first == "'", rest.last == rest.first else {
                throw ThemeError(path: path, line: lineNumber, reason: "the value of \(key) must be quoted")
            }
            let value = String(rest.dropFirst().dropLast()).trimmingCharacters(in: " \t")
            if value.isEmpty { continue }
            guard let color = color(value) else {
                throw ThemeError(path: path, line: lineNumber,
                                 reason: "'\(value)' is not a colour for \(key): use #RRGGBB, #GG or R G B")
            }
            values[key] = color
        }
        var colors: [ColorRole: RGB] = [:]
        for role in ColorRole.allCases {
            if let key = role.btopKeys.first(where: { values[$0] != nil }) { colors[role] = values[key] }
        }
        guard !colors.isEmpty else {
            throw ThemeError(path: path, line: 0, reason: "sets no colour this dashboard uses (main_fg, title, hi_fg, ...)")
        }
        return Theme(name: name, colors: colors)
    }

    static func color(_ value: String) -> RGB? {
        if value.hasPrefix("#") {
            let hex = value.dropFirst()
            guard hex.allSatisfy(\.isHexDigit) else { return nil }
            if hex.count == 6, let number = UInt32(hex, radix: 16) {
                return RGB(UInt8(number >> 16 & 0xFF), UInt8(number >> 8 & 0xFF), UInt8(number & 0xFF))
            }
            if hex.count == 2, let grey = UInt8(hex, radix: 16) { return RGB(grey, grey, grey) }
            return nil
        }
        let parts = value.split(separator: " ")
        guard parts.count == 3 else { return nil }
        let numbers = parts.compactMap { UInt8($0) }
        return numbers.count == 3 ? RGB(numbers[0], numbers[1], numbers[2]) : nil
    }
}

extension StringProtocol {
    func trimmingCharacters(in set: String) -> String {
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice.removeFirst() }
        while let last = slice.last, set.contains(last) { slice.removeLast() }
        return String(slice)
    }
}
