#if canImport(Glibc)
import Glibc
#endif

/// errno values in words.
enum SystemError {
    static func describe(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text).lowercased()
    }
}
