/// Adapts how much more popular a candidate must be than the victim to be admitted, by judging
/// the admission filter's close calls after the fact.
///
/// TinyLFU admits a candidate whose estimated frequency beats the victim's. The candidate's
/// count already holds the request that brought it in, while the victim's next request is
/// still to come, so in a close call the candidate wins by that one request. Under a loop or a
/// flat workload every such win evicts a key about to be read: a plain comparison then thrashes
/// like LRU. Under a skewed workload the same one-request edge is often real popularity.
///
/// So the margin (the `bar`) is learned. Each close call, an admission by exactly `bar + 1` or
/// a rejection by exactly `bar`, is remembered as a pair: the key it kept and the key it dropped.
/// Whichever of the two is requested first settles it: the kept key first (a hit) means the
/// decision was right; the dropped key first (a miss) means it was wrong. When clearly more
/// than half of the recent close admissions turn out wrong, the bar goes up; when clearly more
/// than half of the recent close rejections do, it comes down. Pairs neither of whose keys
/// returns before their slot is reused settle nothing. The bar stays within 0...1: higher bars
/// were measured to lose hits on skewed workloads (docs/ARCHITECTURE.md).
///
/// Memory: two direct-mapped tables of 32-bit words, one slot per eight entries of capacity
/// rounded up to a power of two (1 to 2 bytes per entry of capacity in all), allocated at the
/// first close call, so a cache that never evicts never pays for them. Kept keys are
/// checked only on hits in the probation segment, where both kinds of kept key wait for their
/// next request, so the hot path of hits in the protected segment and the window pays nothing.
///
/// Not thread-safe: owned by one shard and used under its lock; freed with `deallocate()`.
@usableFromInline
struct AdmissionJudge {
    /// The highest margin the filter can be asked for.
    @usableFromInline static let maximumBar = 1
    /// The weight of each settled close call in the running shares of wrong calls.
    @usableFromInline static let smoothing = 1.0 / 64
    /// How many close calls must settle after a move before the bar moves again.
    @usableFromInline static let settledBeforeMove = 128
    /// The share of wrong close calls of one kind that moves the bar: clearly more than half.
    @usableFromInline static let wrongShareToMove = 0.6

    /// Whether the margin is learned; a judge that does not learn keeps it at 0 and never
    /// records a close call (the hill-climber baseline runs Caffeine's filter as it is).
    @usableFromInline let learns: Bool
    /// The margin by which a candidate's frequency must exceed the victim's to be admitted.
    @usableFromInline var bar = 0
    /// The running share of settled close admissions that were wrong.
    @usableFromInline var admissionsWrong = 0.5
    /// The running share of settled close rejections that were wrong.
    @usableFromInline var rejectionsWrong = 0.5
    /// Close calls settled since the bar last moved.
    @usableFromInline var settledSinceMove = 0
    /// Close calls remembered, and settled each way, since the cache was created.
    @usableFromInline var closeCalls = CloseCallCounts()

    /// Pending pairs by the kept key's hash: kept fingerprint (bits 0...15), dropped fingerprint
    /// (bits 16...30), and whether the call was an admission (bit 31). 0 is an empty slot.
    @usableFromInline var pairs: UnsafeMutablePointer<UInt32>?
    /// Pending pairs by the dropped key's hash: the `pairs` slot (bits 0...22), an occupied flag
    /// (bit 23) and a fingerprint (bits 24...31).
    @usableFromInline var dropped: UnsafeMutablePointer<UInt32>?
    @usableFromInline var mask = 0
    @usableFromInline var slots = 0

    @usableFromInline
    init(learns: Bool = true) {
        self.learns = learns
    }

    @usableFromInline
    func deallocate() {
        pairs?.deallocate()
        dropped?.deallocate()
    }

    /// Sizes the tables for a shard of `entries` entries (an eighth of it, at least 16, at most
    /// 2^23 slots; allocated at the first close call). A new size forgets the pending pairs;
    /// the margin learned so far stays. O(1).
    @usableFromInline
    mutating func ensureCapacity(forEntries entries: Int) {
        let wanted = min(max(entries / 8, 16).nextPowerOfTwo, 1 << 23)
        if wanted == slots { return }
        deallocate()
        pairs = nil
        dropped = nil
        slots = wanted
        mask = slots - 1
    }

    // Slot, tag and fingerprint come from disjoint bits of the hash (`KeyHash`).

    /// The kept key's fingerprint in a pair: never 0, which marks an empty slot.
    @inlinable
    static func keptFingerprint(_ hash: KeyHash) -> UInt32 {
        let fingerprint = hash.judgeFingerprint
        return fingerprint == 0 ? 1 : fingerprint
    }

    /// The dropped key's fingerprint in a pair: 15 of the same 16 bits.
    @inlinable
    static func droppedFingerprint(_ hash: KeyHash) -> UInt32 {
        hash.judgeFingerprint >> 1
    }

    @inlinable
    static func droppedTag(_ hash: KeyHash) -> UInt32 {
        hash.judgeTag
    }

    @inlinable
    func slot(_ hash: KeyHash) -> Int {
        hash.judgeSlot(mask: mask)
    }

    /// Whether a decision with this margin (candidate minus victim frequency) is a close call
    /// worth judging, given whether it admitted the candidate.
    @inlinable
    func isCloseCall(margin: Int, admitted: Bool) -> Bool {
        learns && (admitted ? margin == bar + 1 : (bar > 0 && margin == bar))
    }

    /// Remembers a close call that kept the key hashed `keptHash` and dropped `droppedHash`. O(1).
    @inlinable
    mutating func remember(keptHash: KeyHash, droppedHash: KeyHash, admitted: Bool) {
        if pairs == nil { allocate() }
        guard let pairs, let dropped else { return }
        let index = slot(keptHash)
        pairs[index] = Self.keptFingerprint(keptHash) | Self.droppedFingerprint(droppedHash) << 16
            | (admitted ? 1 << 31 : 0)
        dropped[slot(droppedHash)] = UInt32(index) | Self.droppedTag(droppedHash) << 24 | 1 << 23
        closeCalls.remembered &+= 1
    }

    @usableFromInline
    mutating func allocate() {
        if slots == 0 { ensureCapacity(forEntries: 0) }
        pairs = .allocate(capacity: slots)
        pairs!.initialize(repeating: 0, count: slots)
        dropped = .allocate(capacity: slots)
        dropped!.initialize(repeating: 0, count: slots)
    }

    /// The key hashed `hash` was read while in probation: settles a close call that kept it. O(1).
    @inlinable
    mutating func keptKeyReturned(_ hash: KeyHash) {
        guard let pairs else { return }
        let index = slot(hash)
        let pair = pairs[index]
        guard pair & 0xFFFF == Self.keptFingerprint(hash) else { return }
        pairs[index] = 0
        settle(admission: pair >> 31 != 0, wrong: false)
    }

    /// The key hashed `hash` missed and is being added again: settles a close call that dropped
    /// it, if its pair is still pending. O(1).
    @inlinable
    mutating func droppedKeyReturned(_ hash: KeyHash) {
        guard let pairs, let dropped else { return }
        let droppedIndex = slot(hash)
        let entry = dropped[droppedIndex]
        guard entry != 0, entry >> 24 == Self.droppedTag(hash) else { return }
        dropped[droppedIndex] = 0
        let index = Int(entry & 0x7F_FFFF)
        let pair = pairs[index]
        guard pair != 0, (pair >> 16) & 0x7FFF == Self.droppedFingerprint(hash) else { return }
        pairs[index] = 0
        settle(admission: pair >> 31 != 0, wrong: true)
    }

    /// Folds one settled close call into its kind's running share of wrong calls, and moves the
    /// bar once that share is clearly past one half.
    @inlinable
    mutating func settle(admission: Bool, wrong: Bool) {
        let sample = wrong ? 1.0 : 0.0
        if wrong { closeCalls.settledWrong &+= 1 } else { closeCalls.settledRight &+= 1 }
        settledSinceMove &+= 1
        if admission {
            admissionsWrong += (sample - admissionsWrong) * Self.smoothing
        } else {
            rejectionsWrong += (sample - rejectionsWrong) * Self.smoothing
        }
        guard settledSinceMove >= Self.settledBeforeMove else { return }
        if admission, admissionsWrong > Self.wrongShareToMove, bar < Self.maximumBar {
            bar += 1
        } else if !admission, rejectionsWrong > Self.wrongShareToMove, bar > 0 {
            bar -= 1
        } else {
            return
        }
        settledSinceMove = 0
        admissionsWrong = 0.5
        rejectionsWrong = 0.5
    }
}

/// How many close calls a judge remembered, and how many of them settled each way.
@usableFromInline
struct CloseCallCounts: Equatable {
    @usableFromInline var remembered = 0
    /// The kept key returned first.
    @usableFromInline var settledRight = 0
    /// The dropped key returned first.
    @usableFromInline var settledWrong = 0

    @inlinable
    init() {}
}
