/// What sizes a shard's admission window: told of the policy's misses and admission decisions,
/// asked at each maintenance how far the window should move. The policy owns the queues and
/// moves the entries; a sizer only decides how many.
///
/// The product has one sizer, ``RegretWindowSizer``. Caffeine's hill climber
/// (``HillClimberWindowSizer``) is kept as a baseline that the benchmarks measure it against
/// (`EvictionPolicy.windowTinyLFUHillClimber`, behind `@_spi(Benchmark)`). Neither is told of
/// hits: the hit path applies buffered reads to the queues and the sketch and nothing else.
///
/// Not thread-safe: owned by one shard and used under its lock.
@usableFromInline
protocol WindowSizer {
    /// A key missed and is being added with `weight`. `isRare` says whether the frequency
    /// sketch still counts it as rare; a sizer asks only when it needs to.
    mutating func recordMiss(_ hash: KeyHash, weight: Int, isRare: () -> Bool)
    /// The admission filter admitted a candidate and evicted `victim` for it.
    mutating func recordAdmission(evicting victim: KeyHash)
    /// The admission filter turned `candidate` away on frequency (no margin involved).
    mutating func recordRejection(of candidate: KeyHash)
    /// The window's pending adjustment after this maintenance, in weight units (positive grows
    /// the window), given the one still pending and the shard's state.
    mutating func adjustment(pending: Int, shard: WindowSizerInput) -> Int
    /// Sizes any memory the sizer keeps for a shard of `entries` entries. O(entries) when it
    /// allocates.
    mutating func ensureCapacity(forEntries entries: Int)
    /// Forgets what was learned about the previous capacity.
    mutating func reset(maximum: Int)
    /// Frees the sizer's memory.
    func deallocate()
}

/// What a sizer may read of its shard when asked for an adjustment.
@usableFromInline
struct WindowSizerInput {
    @usableFromInline var maximum: Int
    @usableFromInline var windowMaximum: Int
    @usableFromInline var protectedMaximum: Int
    /// Lookups that hit and that missed since the shard was created.
    @usableFromInline var hits: Int
    @usableFromInline var misses: Int
    /// The sketch's aging period in increments, or nil while the sketch is not yet sized.
    @usableFromInline var sketchSampleSize: Int?

    @inlinable
    init(maximum: Int, windowMaximum: Int, protectedMaximum: Int, hits: Int, misses: Int, sketchSampleSize: Int?) {
        self.maximum = maximum
        self.windowMaximum = windowMaximum
        self.protectedMaximum = protectedMaximum
        self.hits = hits
        self.misses = misses
        self.sketchSampleSize = sketchSampleSize
    }
}

/// The sizer a shard runs: the product's, or the benchmark baseline. Both are stored in place
/// (an enum's payload would be copied out and back on every call, and these calls are on the
/// miss path); the baseline is nil unless the shard was created with the climber's policy, and
/// the product's sizer then stays unallocated. One branch per call.
@usableFromInline
struct ShardWindowSizer: WindowSizer {
    /// The product's sizer.
    @usableFromInline var regret = RegretWindowSizer()
    /// Caffeine's hill climber, when the shard runs the benchmark baseline.
    @usableFromInline var climber: HillClimberWindowSizer?

    @usableFromInline
    init(policy: EvictionPolicy, maximum: Int) {
        if policy == .windowTinyLFUHillClimber {
            climber = HillClimberWindowSizer(maximum: maximum)
        }
    }

    @inlinable
    mutating func recordMiss(_ hash: KeyHash, weight: Int, isRare: () -> Bool) {
        if climber == nil { regret.recordMiss(hash, weight: weight, isRare: isRare) }
    }

    @inlinable
    mutating func recordAdmission(evicting victim: KeyHash) {
        if climber == nil { regret.recordAdmission(evicting: victim) }
    }

    @inlinable
    mutating func recordRejection(of candidate: KeyHash) {
        if climber == nil { regret.recordRejection(of: candidate) }
    }

    @inlinable
    mutating func adjustment(pending: Int, shard: WindowSizerInput) -> Int {
        if climber != nil { return climber!.adjustment(pending: pending, shard: shard) }
        return regret.adjustment(pending: pending, shard: shard)
    }

    @usableFromInline
    mutating func ensureCapacity(forEntries entries: Int) {
        if climber == nil { regret.ensureCapacity(forEntries: entries) }
    }

    @usableFromInline
    mutating func reset(maximum: Int) {
        if climber != nil { climber!.reset(maximum: maximum) } else { regret.reset(maximum: maximum) }
    }

    @usableFromInline
    func deallocate() {
        regret.deallocate()
    }
}
