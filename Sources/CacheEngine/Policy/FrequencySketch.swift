import CPrefetch

/// A 4-bit count-min sketch estimating how often each key was seen recently: the popularity
/// signal of Window TinyLFU's admission filter.
///
/// Layout follows Caffeine's block-based sketch: the table is an array of 64-bit words, each
/// holding sixteen 4-bit counters; a key's four counters all live in one 64-byte block (eight
/// words), so an increment or a frequency estimate touches a single cache line. When the number
/// of increments reaches `sampleSize` (ten times the capacity) every counter is halved ("aging"),
/// so the sketch follows a changing workload.
///
/// Memory: one word per unit of capacity (8 bytes per entry of capacity), allocated lazily the
/// first time the shard fills to half its capacity (`ensureCapacity`), as Caffeine does.
///
/// Not thread-safe: owned by one shard and used under that shard's lock. The owner frees the
/// table with `deallocate()` (a plain struct rather than a noncopyable one with a `deinit`,
/// which the optimiser cannot inline across the module boundary).
@usableFromInline
struct FrequencySketch {
    @usableFromInline static let resetMask: UInt64 = 0x7777_7777_7777_7777
    @usableFromInline static let oneMask: UInt64 = 0x1111_1111_1111_1111

    @usableFromInline var table: UnsafeMutablePointer<UInt64>?
    @usableFromInline var tableLength: Int = 0
    @usableFromInline var blockMask: UInt32 = 0
    @usableFromInline var sampleSize: Int = 0
    @usableFromInline var size: Int = 0

    @usableFromInline
    init() {}

    @usableFromInline
    func deallocate() {
        table?.deallocate()
    }

    @inlinable
    var isInitialized: Bool { table != nil }

    /// Sizes the sketch for `maximumSize` entries, if it is not at least that large already.
    /// Resizing discards the counts. O(maximumSize).
    @usableFromInline
    mutating func ensureCapacity(_ maximumSize: Int) {
        let maximum = min(max(maximumSize, 1), Int(Int32.max) >> 1)
        if table != nil, tableLength >= maximum { return }
        table?.deallocate()
        let length = max(maximum.nextPowerOfTwo, 8)
        let words = UnsafeMutablePointer<UInt64>.allocate(capacity: length)
        words.initialize(repeating: 0, count: length)
        table = words
        tableLength = length
        sampleSize = 10 * maximum
        blockMask = UInt32(truncatingIfNeeded: (length >> 3) - 1)
        size = 0
    }

    /// The estimate for inspection: nil while the sketch counts nothing yet (its table is sized
    /// when the shard is half full), rather than a 0 that would look like a measurement.
    func estimate(_ hash: KeyHash) -> Int? {
        table == nil ? nil : frequency(hash)
    }

    /// The estimated number of recent occurrences of the key with this hash, 0...15.
    @inlinable
    func frequency(_ hash: KeyHash) -> Int {
        guard let table else { return 0 }
        let blockHash = hash.sketchBits
        let counterHash = Self.rehash(blockHash)
        let block = Int((blockHash & blockMask) << 3)
        var minimum = 15
        for i in 0..<4 {
            let h = counterHash >> UInt32(i << 3)
            let index = Int((h >> 1) & 15)
            let offset = Int(h & 1)
            let count = Int((table[block + offset + (i << 1)] >> UInt64(index << 2)) & 0xF)
            minimum = min(minimum, count)
        }
        return minimum
    }

    /// Hints the CPU to fetch the block `increment(hash)` will update. O(1); a hint only.
    @inlinable
    func prefetch(_ hash: KeyHash) {
        guard let table else { return }
        let blockHash = hash.sketchBits
        cprefetch_for_write(table + Int((blockHash & blockMask) << 3))
    }

    /// Records one occurrence of the key with this hash. O(1) amortised; every `sampleSize`
    /// increments it halves all counters, O(capacity).
    @inlinable
    mutating func increment(_ hash: KeyHash) {
        guard let table else { return }
        let blockHash = hash.sketchBits
        let counterHash = Self.rehash(blockHash)
        let block = table + Int((blockHash & blockMask) << 3)
        // Four counters, one per pair of words of the block; straight-line code.
        let first = Self.incrementCounter(block, counterHash, 0)
        let second = Self.incrementCounter(block, counterHash >> 8, 2)
        let third = Self.incrementCounter(block, counterHash >> 16, 4)
        let fourth = Self.incrementCounter(block, counterHash >> 24, 6)
        if first || second || third || fourth {
            size &+= 1
            if size == sampleSize { reset() }
        }
    }

    /// Increments the 4-bit counter `h` selects in the word pair at `pair`, unless saturated.
    @inlinable @inline(__always)
    static func incrementCounter(_ block: UnsafeMutablePointer<UInt64>, _ h: UInt32, _ pair: Int) -> Bool {
        let word = block + pair + Int(h & 1)
        let shift = UInt64((h >> 1) & 15) << 2
        let mask: UInt64 = 0xF << shift
        if word.pointee & mask == mask { return false }
        word.pointee &+= 1 << shift
        return true
    }

    /// Halves every counter (aging).
    @usableFromInline
    mutating func reset() {
        guard let table else { return }
        var count = 0
        for i in 0..<tableLength {
            count += (table[i] & Self.oneMask).nonzeroBitCount
            table[i] = (table[i] >> 1) & Self.resetMask
        }
        size = (size - (count >> 2)) >> 1
    }

    @inlinable
    static func rehash(_ value: UInt32) -> UInt32 {
        var x = value &* 0x3184_8BAB
        x ^= x >> 14
        return x
    }
}

extension Int {
    /// The smallest power of two greater than or equal to `self` (1 for values below 1).
    @inlinable
    var nextPowerOfTwo: Int {
        if self <= 1 { return 1 }
        return 1 << (Int.bitWidth - (self - 1).leadingZeroBitCount)
    }
}
