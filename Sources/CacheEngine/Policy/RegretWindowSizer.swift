/// The product's window sizer: it sizes the admission window by regret.
///
/// Caffeine sizes the window with a hill climber: it compares the hit rate of one sample of
/// requests with the previous one and steps in whichever direction seemed to help. On a
/// stationary workload the difference between two samples is mostly sampling noise and the
/// workload's own trend (warm-up, drift), so the window wanders, and every wrong step costs hits
/// for a whole sample. Instead, each shard here counts, request by request, the hits each side
/// of the split would have had with a little more room, as ARC does with its ghost lists:
///
/// - the window's regret: a miss on a key the admission filter recently turned away while it
///   was still rare (estimated frequency at most `rareFrequency` before this request, with no
///   admission margin demanded; the policy tells, through `isRare`). A larger window would have
///   held it; the filter never would, as it admits by frequency. A rejected key that is already
///   frequent is not counted: the filter will admit it soon on its own.
/// - the main space's regret: a miss on a key recently evicted as a victim to admit a candidate.
///   A larger main space would have held it.
///
/// Each regret moves the window by the returning entry's weight (the window's discounted by
/// `windowRegretWeight`): up for the window's, down for the main space's. The rejected side's
/// memory turns over faster when most decisions reject, so its regrets are also weighted by the running reject share, as if both memories spanned the
/// same stretch of decisions. Nothing is sampled, so there is no noise to chase: the window
/// settles where both regrets balance, which is where an entry of room is worth the same on both
/// sides, and it moves as soon as the workload changes. The memories (`GhostFilter`, two tables
/// of half the capacity rounded up to a power of two) cost 2 to 4 bytes per entry of capacity.
///
/// Not thread-safe: owned by one shard and used under its lock; freed with `deallocate()`.
@usableFromInline
struct RegretWindowSizer: WindowSizer {
    /// A rejected candidate's return counts as the window's regret only while its estimated
    /// frequency is at most this: a key already seen more often is one the filter will admit.
    @usableFromInline static let rareFrequency = 1
    /// The window's regret counts at this fraction of its weight. Chosen by measurement on the
    /// project's adaptivity traces (README, performance): at 1 the window settles a little larger
    /// than pays on bursts of new hot keys at 10,000 entries; at 0.8 and below it grows too slowly
    /// after a wholesale popularity change at 100,000 entries.
    @usableFromInline static let windowRegretWeight = 0.85
    /// How many admission decisions the running reject share averages over.
    @usableFromInline static let rejectShareSpan = 1_024.0

    /// Candidates the admission filter turned away, and victims it evicted for a candidate.
    @usableFromInline var rejectedGhost = GhostFilter()
    @usableFromInline var victimGhost = GhostFilter()
    /// Regret not yet turned into a whole unit of adjustment: positive for the window.
    @usableFromInline var regretBalance = 0.0
    /// The running share of admission decisions that rejected the candidate.
    @usableFromInline var rejectShare = 1.0

    @usableFromInline
    init() {}

    @usableFromInline
    func deallocate() {
        rejectedGhost.deallocate()
        victimGhost.deallocate()
    }

    /// Both memories hold half as many keys as the shard holds entries. O(entries) when they grow.
    @usableFromInline
    mutating func ensureCapacity(forEntries entries: Int) {
        rejectedGhost.ensureCapacity(entries / 2)
        victimGhost.ensureCapacity(entries / 2)
    }

    @usableFromInline
    mutating func reset(maximum: Int) {
        regretBalance = 0
    }

    /// Counts a regret if the key was recently dropped. Called before the sketch counts this
    /// request. O(1).
    @inlinable
    mutating func recordMiss(_ hash: KeyHash, weight: Int, isRare: () -> Bool) {
        if rejectedGhost.remove(hash), isRare() {
            regretBalance += Double(weight) * rejectShare * Self.windowRegretWeight
        }
        if victimGhost.remove(hash) {
            regretBalance -= Double(weight)
        }
    }

    @inlinable
    mutating func recordAdmission(evicting victim: KeyHash) {
        victimGhost.insert(victim)
        rejectShare += (0 - rejectShare) / Self.rejectShareSpan
    }

    @inlinable
    mutating func recordRejection(of candidate: KeyHash) {
        rejectedGhost.insert(candidate)
        rejectShare += (1 - rejectShare) / Self.rejectShareSpan
    }

    /// Turns whole units of regret into adjustment, bounded by what can move, so regret on a
    /// side that is already at its limit does not pile up and delay the way back. O(1).
    @inlinable
    mutating func adjustment(pending: Int, shard: WindowSizerInput) -> Int {
        guard regretBalance >= 1 || regretBalance <= -1 else { return pending }
        let whole = regretBalance.rounded(.towardZero)
        regretBalance -= whole
        return min(max(pending + Int(whole), 1 - shard.windowMaximum), shard.protectedMaximum)
    }
}
