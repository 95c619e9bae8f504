/// One shard's event counters. Plain integers updated under the shard lock: the counters are
/// striped by shard, so the hot path touches no shared atomic.
@usableFromInline
struct ShardCounters {
    @usableFromInline var hits = 0
    @usableFromInline var misses = 0
    /// Hits on negative entries (cached absences); included in `hits`.
    @usableFromInline var absentHits = 0
    @usableFromInline var puts = 0
    @usableFromInline var evictedBySize = 0
    @usableFromInline var expired = 0
    @usableFromInline var removedExplicitly = 0
    @usableFromInline var replaced = 0

    @inlinable
    init() {}

    @inlinable
    mutating func count(_ cause: RemovalCause) {
        switch cause {
        case .size: evictedBySize &+= 1
        case .expired: expired &+= 1
        case .explicit: removedExplicitly &+= 1
        case .replaced: replaced &+= 1
        }
    }
}
