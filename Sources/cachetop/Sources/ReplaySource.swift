import CacheDashboard
import Foundation

/// A recording made with `--record`, played back one sample per poll.
final class ReplaySource: SnapshotSource, @unchecked Sendable {
    let path: String
    // Read once at start; `next` is guarded by the lock.
    private let samples: [DashboardSample]
    private let lock = NSLock()
    private var next = 0

    /// Reads and checks the whole recording.
    /// - Throws: a message naming the file and the first bad line.
    init(path: String) throws {
        self.path = path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReplayError(message: "cannot read recording \(path)")
        }
        var samples: [DashboardSample] = []
        let decoder = JSONDecoder()
        for (index, line) in data.split(separator: UInt8(ascii: "\n")).enumerated() where !line.isEmpty {
            do {
                samples.append(try decoder.decode(DashboardSample.self, from: Data(line)))
            } catch {
                throw ReplayError(message: "recording \(path), line \(index + 1): not a cachetop sample (\(error))")
            }
        }
        guard !samples.isEmpty else { throw ReplayError(message: "recording \(path) holds no samples") }
        self.samples = samples
    }

    /// The next sample; throws ``ReplayError`` at the end of the recording.
    func sample(hottest: Int?) async throws -> DashboardSample {
        try lock.withLock {
            guard next < samples.count else { throw ReplayError(message: "end of recording (\(samples.count) samples)") }
            defer { next += 1 }
            return samples[next]
        }
    }

    /// The time of the sample ``sample()`` returns next, if any.
    var nextTime: Double? {
        lock.withLock { next < samples.count ? samples[next].time : nil }
    }

    func perform(_ command: SourceCommand) async throws -> String {
        throw ReplayError(message: "a replay cannot change its target")
    }
}

struct ReplayError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
