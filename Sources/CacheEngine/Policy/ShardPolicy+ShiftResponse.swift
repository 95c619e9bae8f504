/// What the policy forgets when its shift detector reports that the workload's popularity moved
/// (`ShiftDetector`).
extension ShardPolicy {
    /// The sketch is halved until it is empty (4-bit counters) on a shift, once on a drift.
    @usableFromInline static let halvingsOnShift = 4

    /// Applies a detector's response: ages the sketch, and on a shift moves the whole protected
    /// segment, oldest first, to the front of probation, where its entries are the next victims
    /// unless they are read first. O(capacity).
    @usableFromInline
    mutating func forgetPopularity(_ response: ShiftDetector.Response, links: SlotLinks) {
        switch response {
        case .none:
            return
        case .drift:
            sketch.reset()
        case .shift:
            for _ in 0..<Self.halvingsOnShift { sketch.reset() }
            demoteProtectedSegment(links: links)
        }
    }

    /// Moves every protected entry, in its order, ahead of probation's entries. O(protected).
    @usableFromInline
    mutating func demoteProtectedSegment(links: SlotLinks) {
        guard protected.head >= 0 else { return }
        var slot = protected.head
        while slot >= 0 {
            Self.setQueue(slot, SlotTag.probation, links: links)
            slot = links[Int(slot)].next
        }
        if probation.head >= 0 {
            links[Int(protected.tail)].next = probation.head
            links[Int(probation.head)].previous = protected.tail
            probation.head = protected.head
        } else {
            probation = protected
        }
        protected = SlotQueue()
        protectedWeightedSize = 0
    }
}
