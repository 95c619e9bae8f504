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
    func sample(hottest: Int?, expiring: Int) async throws -> DashboardSample {
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

    /// The recording at its recorded gaps, scaled by the speed; while paused, one sample per step
    /// (`n`). Ends, with the reason, after the last sample.
    func samples(_ pacing: SamplePacing) -> AsyncStream<SampleEvent> {
        AsyncStream { continuation in
            let task = Task {
                var last: Double?
                while !Task.isCancelled {
                    if pacing.isPaused() {
                        guard pacing.takeStep() else {
                            do { try await Task.sleep(for: .milliseconds(50)) } catch { break }
                            continue
                        }
                    } else if let last, let next = nextTime {
                        // Wait the recorded gap in short slices, so a pause or a speed change
                        // applies at once.
                        var waited = 0.0
                        while !Task.isCancelled, !pacing.isPaused() {
                            let gap = (next - last) / pacing.speed() - waited
                            if gap <= 0 { break }
                            let slice = min(gap, 0.05)
                            do { try await Task.sleep(for: .seconds(slice)) } catch { break }
                            waited += slice
                        }
                        if pacing.isPaused() { continue }
                    }
                    do {
                        let sample = try await sample(hottest: nil, expiring: 0)
                        last = sample.time
                        continuation.yield(.sample(sample))
                    } catch {
                        continuation.yield(.ended("\(error)"))
                        break
                    }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    func perform(_ command: SourceCommand) async throws -> String {
        throw ReplayError(message: "a replay cannot change its target")
    }
}

struct ReplayError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
