import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

/// Prints `cachetop: <message>` on standard error and ends the command with status 1: the
/// one-line error every subcommand gives.
func fail(_ message: String) -> ExitCode {
    printError(message)
    return ExitCode(1)
}

/// Writes `cachetop: <message>` and a newline to standard error.
func printError(_ message: String) {
    let line = "cachetop: \(message)\n"
    _ = line.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
}
