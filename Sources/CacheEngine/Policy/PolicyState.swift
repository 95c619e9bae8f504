/// The per-shard bookkeeping of the eviction policy: queue ends, weighted sizes, the window's
/// sizer and the adjustment it still has to make. Window TinyLFU parameters follow Caffeine:
/// the window starts at 1% of the capacity and the protected segment holds 80% of the main
/// space.
@usableFromInline
struct PolicyState {
    @usableFromInline static let percentMain = 0.99
    @usableFromInline static let percentMainProtected = 0.80
    @usableFromInline static let queueTransferThreshold = 1_000
    @usableFromInline static let admitHashDosThreshold = 6

    @usableFromInline var window = SlotQueue()
    @usableFromInline var probation = SlotQueue()
    @usableFromInline var protected = SlotQueue()

    @usableFromInline var maximum = 0
    @usableFromInline var weightedSize = 0
    @usableFromInline var windowMaximum = 0
    @usableFromInline var windowWeightedSize = 0
    @usableFromInline var protectedMaximum = 0
    @usableFromInline var protectedWeightedSize = 0

    /// What decides the window's size.
    @usableFromInline var sizer: ShardWindowSizer
    /// Weight still to move into (positive) or out of (negative) the window; transfers are
    /// bounded per maintenance and finish over the following ones.
    @usableFromInline var adjustment = 0

    @usableFromInline
    init(policy: EvictionPolicy, maximum: Int) {
        sizer = ShardWindowSizer(policy: policy, maximum: maximum)
        setMaximum(maximum)
    }

    /// Sets the shard's capacity and resets the window split and its sizer to the defaults.
    @usableFromInline
    mutating func setMaximum(_ newMaximum: Int) {
        maximum = newMaximum
        windowMaximum = newMaximum - Int(Self.percentMain * Double(newMaximum))
        protectedMaximum = Int(Self.percentMainProtected * Double(newMaximum - windowMaximum))
        adjustment = 0
        sizer.reset(maximum: newMaximum)
    }
}
