import ArgumentParser
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// A swift-log handler that appends one line per message to a file: where logs go while curses
/// owns the terminal (`--log FILE`), so that nothing is written over the screen.
///
/// Each line goes out in one `write(2)` on a descriptor opened with `O_APPEND`, so concurrent
/// messages never interleave within a line. Thread-safe; the descriptor stays open for the
/// life of the process.
struct FileLogHandler: LogHandler {
    let label: String
    let descriptor: Int32
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    /// Opens (or creates, mode 0600) `path` for appending.
    /// - Throws: the exit code, after one line naming the path and the reason.
    static func open(_ path: String) throws(ExitCode) -> Int32 {
        let descriptor = Glibc.open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw fail("cannot open the log file \(path): \(String(cString: strerror(errno)))")
        }
        return descriptor
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var line = "\(Self.timestamp()) \(event.level) \(label): \(event.message)"
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        if !merged.isEmpty {
            line += " " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        }
        line += "\n"
        _ = line.utf8CString.withUnsafeBufferPointer { write(descriptor, $0.baseAddress, $0.count - 1) }
    }

    /// "2026-12-02T07:41:34Z", in UTC.
    static func timestamp() -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        var text = [CChar](repeating: 0, count: 32)
        strftime(&text, text.count, "%Y-%m-%dT%H:%M:%SZ", &parts)
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
