import CacheDashboard
import Foundation

/// Appends samples to a file as JSON lines: the format `cachetop replay` reads.
final class SampleRecorder: @unchecked Sendable {
    private let handle: FileHandle
    private let encoder = JSONEncoder()
    private let lock = NSLock()

    /// Opens `path` for appending, creating it.
    /// - Throws: a message naming the path.
    init(path: String) throws {
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw ReplayError(message: "cannot create recording \(path)")
            }
        }
        guard let handle = FileHandle(forWritingAtPath: path) else { throw ReplayError(message: "cannot write recording \(path)") }
        handle.seekToEndOfFile()
        self.handle = handle
        encoder.outputFormatting = [.sortedKeys]
    }

    func append(_ sample: DashboardSample) {
        guard let data = try? encoder.encode(sample) else { return }
        lock.withLock {
            handle.write(data)
            handle.write(Data([UInt8(ascii: "\n")]))
        }
    }
}
