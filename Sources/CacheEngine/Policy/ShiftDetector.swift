/// Notices when the popularity a shard's policy learned stops describing its workload, and says
/// how much of that learning to forget.
///
/// Window TinyLFU remembers popularity in two places: the frequency sketch's counters and the
/// protected segment, which holds the entries that were read again after admission. Both age
/// slowly on purpose: the sketch halves every ten times the capacity in counted requests, and a
/// protected entry leaves only when newer promotions push it out. When the workload's favourites
/// change wholesale, both keep yesterday's favourites: the protected segment stops earning hits,
/// and newcomers must out-count stale sketch entries before the filter admits them. A recency
/// policy (LRU, ARC, S3-FIFO) has nothing to forget and adapts at once.
///
/// The signal is the share of requests that hit the protected segment, measured over periods of
/// a quarter of the shard's capacity in requests and compared with its running average:
///
/// - A **shift**: the share falls below half its average, and the next period confirms it (still
///   below three quarters). The favourites are gone: the policy forgets its popularity (the
///   sketch is halved until it is empty, and the whole protected segment, oldest first, moves to
///   the front of probation, where its entries are the first victims unless they are read).
/// - A **drift**: the share stays below 80% of its average for two periods. Part of the
///   favourites moved (a burst of new hot keys): the sketch is halved once, as its periodic aging
///   would do, so newcomers compete with today's counts rather than yesterday's.
///
/// After either, the running average restarts from the new level, so one change is answered once.
/// The first two capacities' worth of requests after the shard fills to half only build the
/// average: a cache's warm-up moves the share too.
/// A stationary workload moves the share by a few percent between periods, far from either
/// threshold. A scan lowers every hit, not only the protected segment's; periods with almost no
/// hits (fewer than one request in twenty, or 64) are skipped and break a pending confirmation,
/// so a scan's first and last periods are never read as a shift.
///
/// Not thread-safe: owned by one shard's policy and used under its lock. O(1) per request; the
/// policy's response costs O(capacity), once per detected change.
@usableFromInline
struct ShiftDetector {
    /// A period is this share of the shard's maximum, in requests.
    @usableFromInline static let periodShare = 0.25
    /// A period whose protected share is below this fraction of the average suggests a shift.
    @usableFromInline static let shiftBelow = 0.5
    /// The period after a suggested shift confirms it when below this fraction.
    @usableFromInline static let confirmBelow = 0.75
    /// Two periods in a row below this fraction are a drift.
    @usableFromInline static let driftBelow = 0.8
    /// The weight of each period in the running average.
    @usableFromInline static let smoothing = 0.25
    /// Periods averaged before the first answer: two capacities' worth of requests, so the
    /// shard's own warm-up (its segments filling) is not read as a change.
    @usableFromInline static let warmUpPeriods = 8

    /// What the policy should forget.
    @usableFromInline
    enum Response: Equatable {
        case none
        /// Halve the sketch once.
        case drift
        /// Empty the sketch and demote the protected segment.
        case shift
    }

    @usableFromInline var periodLength = 0
    @usableFromInline var periodMisses = 0
    @usableFromInline var periodHits = 0
    @usableFromInline var periodProtectedHits = 0
    /// The running average of the share of requests that hit the protected segment; -1 before
    /// the first period.
    @usableFromInline var protectedShare = -1.0
    /// Periods in the running average so far (counted up to `warmUpPeriods`).
    @usableFromInline var periodsAveraged = 0
    /// The last period suggested a shift.
    @usableFromInline var shiftSuggested = false
    /// Periods in a row below the drift threshold.
    @usableFromInline var driftPeriods = 0
    /// Changes answered since the shard was created, for tests and the benchmark.
    @usableFromInline var shifts = 0
    @usableFromInline var drifts = 0

    @inlinable
    init() {}

    /// Sets the period for a shard of `maximum` weight. O(1).
    @inlinable
    mutating func setMaximum(_ maximum: Int) {
        periodLength = max(Int(Double(maximum) * Self.periodShare), 256)
    }

    /// Starts a period afresh, forgetting the requests counted in the current one. O(1).
    @inlinable
    mutating func startPeriod() {
        periodMisses = 0
        periodHits = 0
        periodProtectedHits = 0
    }

    /// Counts a hit, and whether it was in the protected segment. O(1).
    @inlinable @inline(__always)
    mutating func recordHit(protected: Bool) {
        periodHits &+= 1
        if protected { periodProtectedHits &+= 1 }
    }

    /// Counts a miss; at the end of a period, returns what the policy should forget. O(1).
    @inlinable
    mutating func recordMiss() -> Response {
        periodMisses &+= 1
        let requests = periodMisses &+ periodHits
        guard requests >= periodLength else { return .none }
        return closePeriod(requests: requests)
    }

    @usableFromInline
    mutating func closePeriod(requests: Int) -> Response {
        let hits = periodHits
        let share = Double(periodProtectedHits) / Double(requests)
        startPeriod()
        if hits < max(64, requests / 20) {
            // Almost nothing hit (a scan): no evidence either way.
            shiftSuggested = false
            driftPeriods = 0
            return .none
        }
        guard periodsAveraged >= Self.warmUpPeriods, protectedShare > 0.05 else {
            protectedShare = protectedShare < 0 ? share : protectedShare + (share - protectedShare) * Self.smoothing
            periodsAveraged += 1
            return .none
        }
        if share < protectedShare * (shiftSuggested ? Self.confirmBelow : Self.shiftBelow) {
            if !shiftSuggested {
                shiftSuggested = true
                return .none
            }
            restart(at: share)
            shifts &+= 1
            return .shift
        }
        shiftSuggested = false
        if share < protectedShare * Self.driftBelow {
            driftPeriods += 1
            guard driftPeriods >= 2 else { return .none }
            restart(at: share)
            drifts &+= 1
            return .drift
        }
        driftPeriods = 0
        protectedShare += (share - protectedShare) * Self.smoothing
        return .none
    }

    @inlinable
    mutating func restart(at share: Double) {
        protectedShare = share
        shiftSuggested = false
        driftPeriods = 0
    }
}
