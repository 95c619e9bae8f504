/// Sizing the admission window by regret.
///
/// Caffeine sizes the window with a hill climber: it compares the hit rate of one sample of
/// requests with the previous one and steps in whichever direction seemed to help. On a
/// stationary workload the difference between two samples is mostly sampling noise and the
/// workload's own trend (warm-up, drift), so the window wanders, and every wrong step costs hits
/// for a whole sample. Instead, each shard here counts, request by request, the hits each side
/// of the split would have had with a little more room, as ARC does with its ghost lists:
///
/// - the window's regret: a miss on a key the admission filter recently turned away while it
///   was still rare (estimated frequency at most `rareFrequency` before this request). A larger
///   window would have held it; the filter never would, as it admits by frequency. A rejected
///   key that is already frequent is not counted: the filter will admit it soon on its own.
/// - the main space's regret: a miss on a key recently evicted as a victim to admit a candidate.
///   A larger main space would have held it.
///
/// Each regret moves the window by the returning entry's weight: up for the window's, down for
/// the main space's. The rejected side's memory turns over faster when most decisions reject,
/// so its regrets are weighted by the running reject share, as if both memories spanned the
/// same stretch of decisions. Nothing is sampled, so there is no noise to chase: the window
/// settles where both regrets balance, which is where an entry of room is worth the same on both
/// sides, and it moves as soon as the workload changes. The memories (`GhostFilter`, two tables
/// of half the capacity rounded up to a power of two) cost 2 to 4 bytes per entry of capacity.
extension ShardStore {
    /// Applies the regret counted since the last maintenance to the window's size. O(transfers),
    /// at most `PolicyState.queueTransferThreshold` entries per call.
    @inlinable
    mutating func climb() {
        if policy.climbsHills {
            determineAdjustment()
        } else if policy.regretBalance >= 1 || policy.regretBalance <= -1 {
            let whole = policy.regretBalance.rounded(.towardZero)
            policy.regretBalance -= whole
            // Bounded by what can move, so regret on a side that is already at its limit does
            // not pile up and delay the way back.
            policy.adjustment = min(max(policy.adjustment + Int(whole), 1 - policy.windowMaximum),
                                    policy.protectedMaximum)
        }
        demoteFromMainProtected()
        if policy.adjustment > 0 {
            increaseWindow()
        } else if policy.adjustment < 0 {
            decreaseWindow()
        }
    }

    /// Counts a regret if the key with this hash, now being added after a miss, was recently
    /// dropped by the policy. Called before the sketch counts this request. O(1).
    @inlinable
    mutating func noteReturn(hash: KeyHash, weight: Int) {
        if rejectedGhost.remove(hash), judge.bar == 0, sketch.frequency(hash) <= PolicyState.rareFrequency {
            policy.regretBalance += Double(weight) * policy.rejectShare
        }
        if victimGhost.remove(hash) {
            policy.regretBalance -= Double(weight)
        }
        judge.droppedKeyReturned(hash)
    }

    /// Moves the protected segment's oldest entries to probation while it is over its share.
    @inlinable
    mutating func demoteFromMainProtected() {
        guard policy.protectedWeightedSize > policy.protectedMaximum else { return }
        var transferred = 0
        while transferred < PolicyState.queueTransferThreshold,
              policy.protectedWeightedSize > policy.protectedMaximum,
              policy.protected.head >= 0 {
            let demoted = policy.protected.head
            policy.protected.remove(demoted, links: links)
            policy.probation.append(demoted, links: links)
            setQueue(demoted, SlotTag.probation)
            policy.protectedWeightedSize &-= weight(of: demoted)
            transferred &+= 1
        }
    }

    @inlinable
    mutating func increaseWindow() {
        guard policy.protectedMaximum > 0 else { return }
        var quota = min(policy.adjustment, policy.protectedMaximum)
        policy.protectedMaximum &-= quota
        policy.windowMaximum &+= quota
        demoteFromMainProtected()

        for _ in 0..<PolicyState.queueTransferThreshold {
            var candidate = policy.probation.head
            var fromProbation = true
            if candidate < 0 || quota < weight(of: candidate) {
                candidate = policy.protected.head
                fromProbation = false
            }
            if candidate < 0 { break }
            let weight = weight(of: candidate)
            if quota < weight { break }
            quota &-= weight
            if fromProbation {
                policy.probation.remove(candidate, links: links)
            } else {
                policy.protectedWeightedSize &-= weight
                policy.protected.remove(candidate, links: links)
            }
            policy.windowWeightedSize &+= weight
            policy.window.append(candidate, links: links)
            setQueue(candidate, SlotTag.window)
        }
        policy.protectedMaximum &+= quota
        policy.windowMaximum &-= quota
        policy.adjustment = quota
    }

    @inlinable
    mutating func decreaseWindow() {
        guard policy.windowMaximum > 1 else { return }
        var quota = min(-policy.adjustment, max(0, policy.windowMaximum - 1))
        policy.protectedMaximum &+= quota
        policy.windowMaximum &-= quota

        for _ in 0..<PolicyState.queueTransferThreshold {
            let candidate = policy.window.head
            if candidate < 0 { break }
            let weight = weight(of: candidate)
            if quota < weight { break }
            quota &-= weight
            policy.windowWeightedSize &-= weight
            policy.window.remove(candidate, links: links)
            policy.probation.append(candidate, links: links)
            setQueue(candidate, SlotTag.probation)
        }
        policy.protectedMaximum &-= quota
        policy.windowMaximum &+= quota
        policy.adjustment = -quota
    }
}
