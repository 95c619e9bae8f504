/// A fixed-size log-linear histogram of durations in nanoseconds: four sub-buckets per power of
/// two (about 19% relative error), from 1 µs to about 73 minutes. O(1) record, O(buckets)
/// percentile, 168 counters, no allocation after creation.
public struct LatencyHistogram: Sendable, Equatable, Codable {
    static let subBuckets = 4
    static let powers = 42
    static let minimumShift = 10 // 1,024 ns

    public private(set) var counts: [Int]
    public private(set) var count = 0
    public private(set) var totalNanoseconds: Int64 = 0
    public private(set) var maxNanoseconds: Int64 = 0

    public init() {
        counts = Array(repeating: 0, count: Self.subBuckets * (Self.powers - Self.minimumShift))
    }

    static func index(of nanoseconds: Int64) -> Int {
        let value = max(nanoseconds, 1 << minimumShift)
        let power = Int64.bitWidth - 1 - value.leadingZeroBitCount
        let sub = Int((value >> (power - 2)) & 3)
        let index = (power - minimumShift) * subBuckets + sub
        return min(index, subBuckets * (powers - minimumShift) - 1)
    }

    /// The largest duration a bucket holds.
    static func upperBound(ofBucket index: Int) -> Int64 {
        let power = index / subBuckets + minimumShift
        let sub = Int64(index % subBuckets)
        return (Int64(1) << power) + (sub + 1) * (Int64(1) << (power - 2)) - 1
    }

    public mutating func record(nanoseconds: Int64) {
        let value = max(0, nanoseconds)
        counts[Self.index(of: value)] += 1
        count += 1
        totalNanoseconds &+= value
        maxNanoseconds = max(maxNanoseconds, value)
    }

    /// The duration below which `fraction` of the recorded durations fall (bucket upper bound,
    /// capped by the maximum seen); 0 when empty.
    public func percentile(_ fraction: Double) -> Int64 {
        guard count > 0 else { return 0 }
        let rank = max(1, Int((fraction * Double(count)).rounded(.up)))
        var seen = 0
        for (index, bucketCount) in counts.enumerated() {
            seen += bucketCount
            if seen >= rank { return min(Self.upperBound(ofBucket: index), maxNanoseconds) }
        }
        return maxNanoseconds
    }
}
