import CacheEngine

/// Draws key indices in `0..<keySpace` following a workload's distribution. O(1) per draw.
public struct KeySampler: Sendable {
    private var random: SplitMix64
    private let distribution: Workload.Distribution
    private let keySpace: UInt64
    private let zipf: ZipfSampler?
    private var cursor: UInt64 = 0

    public init(_ workload: Workload, seed: UInt64) {
        random = SplitMix64(seed: seed)
        distribution = workload.distribution
        keySpace = workload.keySpace
        if case .zipf(let skew) = workload.distribution {
            zipf = ZipfSampler(count: workload.keySpace, exponent: skew)
        } else {
            zipf = nil
        }
    }

    /// The next key index. Zipf ranks are scattered (hot keys are not numerically adjacent).
    public mutating func next() -> UInt64 {
        switch distribution {
        case .zipf:
            let rank = zipf!.sample(using: &random) - 1
            return SplitMix64.mix(rank) % keySpace
        case .uniform:
            return random.next() % keySpace
        case .hotSet(let fraction, let probability):
            let hot = max(1, UInt64(Double(keySpace) * fraction))
            if random.nextUnit() < probability || hot >= keySpace {
                return random.next() % hot
            }
            return hot + random.next() % (keySpace - hot)
        case .sequential:
            defer { cursor = (cursor + 1) % keySpace }
            return cursor
        }
    }

    /// A draw in [0, 1), for the read/write and TTL choices.
    public mutating func unit() -> Double { random.nextUnit() }
}

/// Zipf sampling by rejection-inversion (Hörmann and Derflinger, 1996): O(1) expected per draw,
/// no table, any exponent > 0. Returns ranks in 1...count.
public struct ZipfSampler: Sendable {
    let count: Double
    let exponent: Double
    let hIntegralX1: Double
    let hIntegralCount: Double
    let s: Double

    public init(count: UInt64, exponent: Double) {
        self.count = Double(count)
        self.exponent = exponent
        hIntegralX1 = Self.hIntegral(1.5, exponent) - 1
        hIntegralCount = Self.hIntegral(Double(count) + 0.5, exponent)
        s = 2 - Self.hIntegralInverse(Self.hIntegral(2.5, exponent) - Self.h(2, exponent), exponent)
    }

    package func sample(using random: inout SplitMix64) -> UInt64 {
        while true {
            let u = hIntegralCount + random.nextUnit() * (hIntegralX1 - hIntegralCount)
            let x = Self.hIntegralInverse(u, exponent)
            var k = (x + 0.5).rounded(.down)
            if k < 1 { k = 1 } else if k > count { k = count }
            if k - x <= s || u >= Self.hIntegral(k + 0.5, exponent) - Self.h(k, exponent) {
                return UInt64(k)
            }
        }
    }

    static func h(_ x: Double, _ exponent: Double) -> Double { exp(-exponent * log(x)) }

    static func hIntegral(_ x: Double, _ exponent: Double) -> Double {
        let logX = log(x)
        return helper2((1 - exponent) * logX) * logX
    }

    static func hIntegralInverse(_ x: Double, _ exponent: Double) -> Double {
        var t = x * (1 - exponent)
        if t < -1 { t = -1 }
        return exp(helper1(t) * x)
    }

    /// log(1 + x) / x, accurate near 0.
    static func helper1(_ x: Double) -> Double {
        abs(x) > 1e-8 ? log1p(x) / x : 1 - x * (0.5 - x * (1.0 / 3.0 - 0.25 * x))
    }

    /// (exp(x) - 1) / x, accurate near 0.
    static func helper2(_ x: Double) -> Double {
        abs(x) > 1e-8 ? expm1(x) / x : 1 + x * 0.5 * (1 + x * (1.0 / 3.0) * (1 + 0.25 * x))
    }
}

#if canImport(Glibc)
import Glibc
#endif
