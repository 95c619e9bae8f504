/// The per-shard bookkeeping of the eviction policy: queue ends, weighted sizes and the hill
/// climber's state. Window TinyLFU parameters follow Caffeine: the window starts at 1% of the
/// capacity, the protected segment holds 80% of the main space, and the climber samples ten
/// times the capacity in requests before each step.
@usableFromInline
struct PolicyState {
    @usableFromInline static let percentMain = 0.99
    @usableFromInline static let percentMainProtected = 0.80
    @usableFromInline static let climberRestartThreshold = 0.05
    @usableFromInline static let climberStepPercent = 0.0625
    @usableFromInline static let climberStepDecayRate = 0.98
    @usableFromInline static let queueTransferThreshold = 1_000
    @usableFromInline static let admitHashDosThreshold = 6

    @usableFromInline let kind: EvictionPolicy
    @usableFromInline var window = SlotQueue()
    @usableFromInline var probation = SlotQueue()
    @usableFromInline var protected = SlotQueue()

    @usableFromInline var maximum = 0
    @usableFromInline var weightedSize = 0
    @usableFromInline var windowMaximum = 0
    @usableFromInline var windowWeightedSize = 0
    @usableFromInline var protectedMaximum = 0
    @usableFromInline var protectedWeightedSize = 0

    @usableFromInline var stepSize = 0.0
    @usableFromInline var adjustment = 0
    @usableFromInline var hitsInSample = 0
    @usableFromInline var missesInSample = 0
    @usableFromInline var previousSampleHitRate = 0.0

    @usableFromInline
    init(kind: EvictionPolicy, maximum: Int) {
        self.kind = kind
        setMaximum(maximum)
    }

    /// Sets the shard's capacity and resets the window split and the climber to their defaults.
    @usableFromInline
    mutating func setMaximum(_ newMaximum: Int) {
        maximum = newMaximum
        windowMaximum = newMaximum - Int(Self.percentMain * Double(newMaximum))
        protectedMaximum = Int(Self.percentMainProtected * Double(newMaximum - windowMaximum))
        hitsInSample = 0
        missesInSample = 0
        stepSize = -Self.climberStepPercent * Double(newMaximum)
    }
}
