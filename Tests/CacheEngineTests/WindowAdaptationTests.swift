@testable import CacheEngine
import CacheEngineTesting
import Foundation
import Testing

/// The admission window follows the workload: recency-skewed traffic (keys reused soon after
/// first use, rarely again) grows it, frequency-skewed traffic (a stable popular set) keeps it
/// small, and a change from one to the other is followed both ways.
@Suite("Window adaptation")
struct WindowAdaptationTests {
    static let capacity = 2_000

    /// A deterministic generator (SplitMix64), so that each run replays the same requests.
    struct Requests {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    }

    /// Recency: 70% of requests reuse a key from the last 4,000 requests, the rest are new keys.
    static func recencyPhase(_ count: Int, random: inout Requests, firstKey: Int) -> [Int] {
        var keys: [Int] = []
        keys.reserveCapacity(count)
        var nextKey = firstKey
        for index in 0..<count {
            if index >= 4_000, random.unit() < 0.7 {
                keys.append(keys[index - 1 - Int(random.next() % 3_999)])
            } else {
                keys.append(nextKey)
                nextKey += 1
            }
        }
        return keys
    }

    /// Frequency: Zipf(0.99) over 50,000 keys.
    static func frequencyPhase(_ count: Int, random: inout Requests) -> [Int] {
        var cumulative: [Double] = []
        var total = 0.0
        for rank in 1...50_000 {
            total += pow(Double(rank), -0.99)
            cumulative.append(total)
        }
        return (0..<count).map { _ in
            let target = random.unit() * total
            var low = 0, high = cumulative.count - 1
            while low < high {
                let middle = (low + high) / 2
                if cumulative[middle] < target { low = middle + 1 } else { high = middle }
            }
            return low
        }
    }

    static func replay(_ keys: [Int], on cache: Cache<Int, Int>) {
        for key in keys where cache.value(forKey: key) == nil { cache.setValue(key, forKey: key) }
    }

    static func windowShare(_ cache: Cache<Int, Int>) -> Double {
        Double(cache.snapshot().shards.map(\.windowCapacity).reduce(0, +)) / Double(capacity)
    }

    @Test func recencyGrowsTheWindowAndFrequencyShrinksItAgain() throws {
        let cache = try Cache<Int, Int>(capacity: Self.capacity, shardCount: 1, clock: ManualClock())
        var random = Requests(state: 42)
        #expect(Self.windowShare(cache) <= 0.01)

        Self.replay(Self.recencyPhase(300_000, random: &random, firstKey: 1_000_000), on: cache)
        let afterRecency = Self.windowShare(cache)
        #expect(afterRecency >= 0.4, "window share after the recency phase: \(afterRecency)")
        expectConsistent(cache)

        // Each regret moves the window by one entry, so the way back takes a few hundred times
        // the capacity in requests.
        Self.replay(Self.frequencyPhase(600_000, random: &random), on: cache)
        let afterFrequency = Self.windowShare(cache)
        #expect(afterFrequency <= 0.1, "window share after the frequency phase: \(afterFrequency)")
        expectConsistent(cache)
    }

    @Test func frequencyKeepsTheWindowSmallFromTheStart() throws {
        let cache = try Cache<Int, Int>(capacity: Self.capacity, shardCount: 1, clock: ManualClock())
        var random = Requests(state: 7)
        Self.replay(Self.frequencyPhase(300_000, random: &random), on: cache)
        let share = Self.windowShare(cache)
        #expect(share <= 0.05, "window share: \(share)")
        expectConsistent(cache)
    }
}

