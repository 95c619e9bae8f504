/// The per-shard bookkeeping of the eviction policy: queue ends, weighted sizes and the state of
/// the window's adaptation. Window TinyLFU parameters follow Caffeine: the window starts at 1% of
/// the capacity and the protected segment holds 80% of the main space.
@usableFromInline
struct PolicyState {
    @usableFromInline static let percentMain = 0.99
    @usableFromInline static let percentMainProtected = 0.80
    /// A rejected candidate's return counts as the window's regret only while its estimated
    /// frequency is at most this: a key already seen more often is one the filter will admit.
    @usableFromInline static let rareFrequency = 1
    /// How many admission decisions the running reject share averages over.
    @usableFromInline static let rejectShareSpan = 1_024.0
    @usableFromInline static let queueTransferThreshold = 1_000
    @usableFromInline static let admitHashDosThreshold = 6

    @usableFromInline let kind: EvictionPolicy
    /// Whether the window is sized by Caffeine's sampled hill climber rather than by regret.
    @inlinable var climbsHills: Bool { kind == .windowTinyLFUHillClimber }
    /// Whether the admission margin is learned (`AdmissionJudge`) rather than fixed at zero. Only
    /// such a shard records close calls, so the judge of any other stays empty, its margin 0.
    @inlinable var judgesAdmissions: Bool { kind == .windowTinyLFU }
    @usableFromInline var window = SlotQueue()
    @usableFromInline var probation = SlotQueue()
    @usableFromInline var protected = SlotQueue()

    @usableFromInline var maximum = 0
    @usableFromInline var weightedSize = 0
    @usableFromInline var windowMaximum = 0
    @usableFromInline var windowWeightedSize = 0
    @usableFromInline var protectedMaximum = 0
    @usableFromInline var protectedWeightedSize = 0

    /// Weight still to move into (positive) or out of (negative) the window; transfers are
    /// bounded per maintenance and finish over the following ones.
    @usableFromInline var adjustment = 0
    /// Regret not yet turned into a whole unit of `adjustment`.
    @usableFromInline var regretBalance = 0.0
    /// The running share of admission decisions that rejected the candidate.
    @usableFromInline var rejectShare = 1.0

    // Caffeine's hill climber (`EvictionPolicy.windowTinyLFUHillClimber` only)
    @usableFromInline static let climberRestartThreshold = 0.05
    @usableFromInline static let climberStepPercent = 0.0625
    @usableFromInline static let climberStepDecayRate = 0.98
    @usableFromInline var stepSize = 0.0
    @usableFromInline var hitsInSample = 0
    @usableFromInline var missesInSample = 0
    @usableFromInline var previousSampleHitRate = 0.0

    @usableFromInline
    init(kind: EvictionPolicy, maximum: Int) {
        self.kind = kind
        setMaximum(maximum)
    }

    /// Sets the shard's capacity and resets the window split and its adaptation to the defaults.
    @usableFromInline
    mutating func setMaximum(_ newMaximum: Int) {
        maximum = newMaximum
        windowMaximum = newMaximum - Int(Self.percentMain * Double(newMaximum))
        protectedMaximum = Int(Self.percentMainProtected * Double(newMaximum - windowMaximum))
        adjustment = 0
        regretBalance = 0
        hitsInSample = 0
        missesInSample = 0
        stepSize = -Self.climberStepPercent * Double(newMaximum)
    }

    /// Records one admission decision in the running reject share. O(1).
    @inlinable
    mutating func noteAdmission(rejected: Bool) {
        rejectShare += ((rejected ? 1 : 0) - rejectShare) / Self.rejectShareSpan
    }
}
