import ArgumentParser
import Logging

/// Where cachetop's own log messages go: never onto a screen curses owns.
enum LogDestination {
    /// The logger for the services cachetop runs (the demo's control server and service group).
    /// - Parameters:
    ///   - path: `--log FILE`: every message from `info` up, appended to the file.
    ///   - screenOwned: whether curses will own the terminal; without `--log`, messages are then
    ///     dropped, otherwise errors go to standard error.
    /// - Throws: the exit code, after one line, when the file cannot be opened.
    static func logger(path: String?, screenOwned: Bool) throws(ExitCode) -> Logger {
        if let path {
            let descriptor = try FileLogHandler.open(path)
            return Logger(label: "cachetop") { label in FileLogHandler(label: label, descriptor: descriptor) }
        }
        if screenOwned {
            return Logger(label: "cachetop") { _ in SwiftLogNoOpLogHandler() }
        }
        var logger = Logger(label: "cachetop") { label in StreamLogHandler.standardError(label: label) }
        logger.logLevel = .error
        return logger
    }
}
