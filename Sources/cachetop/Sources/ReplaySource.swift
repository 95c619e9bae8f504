import CacheDashboard
import Foundation
import Synchronization

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
    /// (`n`). Ends, with the reason, after the last sample. Each element is produced in the
    /// consumer's own task (`AsyncStream(unfolding:)`).
    func samples(_ pacing: SamplePacing) -> AsyncStream<SampleEvent> {
        let playback = Mutex<(last: Double?, ended: Bool)>((nil, false))
        return AsyncStream(unfolding: { [self] in
            guard !playback.withLock({ $0.ended }) else { return nil }
            while !Task.isCancelled {
                if pacing.isPaused() {
                    if pacing.takeStep() { break }
                    do { try await Task.sleep(for: .milliseconds(50)) } catch { return nil }
                    continue
                }
                guard let last = playback.withLock({ $0.last }), let next = nextTime else { break }
                // Wait the recorded gap in short slices, so a pause or a speed change applies
                // at once.
                var waited = 0.0
                while !Task.isCancelled, !pacing.isPaused() {
                    let gap = (next - last) / pacing.speed() - waited
                    if gap <= 0 { break }
                    let slice = min(gap, 0.05)
                    do { try await Task.sleep(for: .seconds(slice)) } catch { return nil }
                    waited += slice
                }
                if !pacing.isPaused() { break }
            }
            guard !Task.isCancelled else { return nil }
            do {
                let sample = try await sample(hottest: nil, expiring: 0)
                playback.withLock { $0.last = sample.time }
                return .sample(sample)
            } catch {
                playback.withLock { $0.ended = true }
                return .ended("\(error)")
            }
        })
    }

    func perform(_ command: SourceCommand) async throws -> String {
        throw ReplayError(message: "a replay cannot change its target")
    }
}

struct ReplayError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
