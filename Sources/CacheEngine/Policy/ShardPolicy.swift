/// One shard's eviction policy: Window TinyLFU, as in Caffeine's `BoundedLocalCache`.
///
/// New entries enter the window (LRU). When the window overflows, its oldest entries move to
/// the probation segment as candidates; while the shard is over capacity, each candidate (from
/// the probation tail) is compared with the victim (the probation head) by estimated frequency,
/// and the less popular one is evicted. A probation entry that is read again is promoted to the
/// protected segment; protected overflow is demoted back to probation.
///
/// Parts: the three queues, threaded through the slot records' links (`SlotQueue`); the
/// frequency sketch; the window sizer (`WindowSizer.swift`), which decides how large the window
/// is; the admission judge (`AdmissionJudge.swift`), which decides by how much a candidate must
/// win; the shift detector (`ShiftDetector.swift`), which decides when learned popularity is
/// stale; and the read buffer, which batches hits. Parameters follow Caffeine: the window starts
/// at 1% of the capacity and the protected segment holds 80% of the main space.
///
/// The policy decides; the shard carries out. It works on the slots through `PolicySlots`
/// (links, costs and keys) and hands back the victims it unlinked, for the shard to free.
///
/// Not thread-safe: owned by one shard and used under its lock; `deallocate()` frees it.
@usableFromInline
struct ShardPolicy {
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

    @usableFromInline var sketch = FrequencySketch()
    /// What decides the window's size.
    @usableFromInline var sizer: ShardWindowSizer
    /// Weight still to move into (positive) or out of (negative) the window; transfers are
    /// bounded per maintenance and finish over the following ones.
    @usableFromInline var adjustment = 0
    /// The learned admission margin and the close calls it is judged on.
    @usableFromInline var judge: AdmissionJudge
    /// Notices when the learned popularity stops describing the workload (`ShiftDetector`).
    @usableFromInline var shiftDetector = ShiftDetector()
    /// Whether entries have costs (a weigher is configured) rather than counting 1 each.
    @usableFromInline let weighted: Bool
    /// The entry count the sketch, sizer and judge were last sized for (-1: never), so an
    /// addition to a shard past half full does not ask them again for the same size.
    @usableFromInline var memorySizedFor = -1

    /// Hits not yet applied to the queues and the sketch.
    @usableFromInline var readBuffer: UnsafeMutablePointer<HashedSlot>
    @usableFromInline var readBufferCount = 0
    /// Entries read while the shard defers its hits (`ShardPolicy+DeferredHits.swift`).
    @usableFromInline var referenced = ReferenceMarks()
    /// New entries the admission filter turned away in favour of a more popular resident.
    @usableFromInline var admissionsRejected = 0
    @usableFromInline var randomState: UInt64

    @usableFromInline
    init(policy: EvictionPolicy, maximum: Int, weighted: Bool, seed: UInt64) {
        sizer = ShardWindowSizer(policy: policy, maximum: maximum)
        judge = AdmissionJudge(learns: policy == .windowTinyLFU)
        self.weighted = weighted
        randomState = seed | 1
        readBuffer = .allocate(capacity: Self.readBufferCapacity)
        setMaximum(maximum)
    }

    @usableFromInline
    func deallocate() {
        readBuffer.deallocate()
        referenced.deallocate()
        sketch.deallocate()
        sizer.deallocate()
        judge.deallocate()
    }

    /// Sets the shard's capacity and resets the window split and its sizer to the defaults.
    @usableFromInline
    mutating func setMaximum(_ newMaximum: Int) {
        maximum = newMaximum
        windowMaximum = newMaximum - Int(Self.percentMain * Double(newMaximum))
        protectedMaximum = Int(Self.percentMainProtected * Double(newMaximum - windowMaximum))
        adjustment = 0
        sizer.reset(maximum: newMaximum)
        shiftDetector.setMaximum(newMaximum)
    }

    /// Applies a slab rebuild's renumbering to the queue ends (the links themselves moved with
    /// the records). The read buffer must be empty. O(1).
    @usableFromInline
    mutating func renumber(_ renumbering: SlotRenumbering) {
        precondition(readBufferCount == 0, "moving entries needs the read buffer drained")
        for queue in [\ShardPolicy.window, \ShardPolicy.probation, \ShardPolicy.protected] {
            self[keyPath: queue].head = renumbering(self[keyPath: queue].head)
            self[keyPath: queue].tail = renumbering(self[keyPath: queue].tail)
        }
        referenced.renumber(renumbering)
    }

    /// A cheap per-shard pseudo-random number (xorshift64*), for the policy's random admission.
    @inlinable
    mutating func nextRandom() -> UInt64 {
        randomState ^= randomState >> 12
        randomState ^= randomState << 25
        randomState ^= randomState >> 27
        return randomState &* 0x2545_F491_4F6C_DD1D
    }
}
