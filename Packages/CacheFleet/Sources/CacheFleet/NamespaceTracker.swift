import CacheVocabulary

/// The invalidation protocol of one namespace, as a pure state machine: what has been applied,
/// what is known to be committed, when the namespace was last verified, and what the bus must do
/// next. It performs no I/O and reads no clock: times are passed in (monotonic nanoseconds), so
/// tests drive it step by step.
///
/// The rules:
/// - the sequence numbers of a namespace are gap-free and in commit order, so an invalidation is
///   applied only right after its predecessor; one ahead of that asks for a replay from the log;
///   one at or below the applied number is a duplicate and is ignored;
/// - a replay that does not start right after the applied number means the log was pruned past
///   this instance: the namespace is flushed;
/// - a namespace whose number went down (the log was recreated) is flushed;
/// - a check that finds the committed number equal to the applied one verifies the namespace
///   as of the moment the check was sent; the lease runs from there.
struct NamespaceTracker: Sendable {
    /// What the bus does to the cache and the connection.
    enum Action: Sendable, Equatable {
        case remove([String])
        /// Empty the cache without counting a flush: the base after the first subscription.
        case clear
        case flush(CoherenceStatus.FlushReason)
        case replay(after: Int64)
    }

    let name: String
    let lease: Int64
    /// Whether the namespace has a base (from the first check after subscribing).
    private(set) var synchronized = false
    private(set) var applied: Int64 = 0
    private(set) var latest: Int64 = 0
    /// When a committed but unapplied invalidation was first known (for the lag).
    private(set) var behindSince: Int64?
    private(set) var lastVerified: Int64?

    init(name: String, leaseNanoseconds: Int64) {
        self.name = name
        self.lease = leaseNanoseconds
    }

    /// The namespace's committed number, read after (re)subscribing or by a periodic check sent
    /// at `sentAt`. The first one gives the base: the cache may hold entries loaded before the
    /// subscription, so it is flushed.
    mutating func checked(committed: Int64, sentAt: Int64) -> [Action] {
        guard synchronized else {
            synchronized = true
            applied = committed
            latest = committed
            behindSince = nil
            lastVerified = sentAt
            return [.clear]
        }
        if committed < applied {
            applied = committed
            latest = committed
            behindSince = nil
            lastVerified = sentAt
            return [.flush(.reset)]
        }
        if committed == applied {
            latest = max(latest, committed)
            if latest == applied { behindSince = nil }
            lastVerified = max(lastVerified ?? sentAt, sentAt)
            return []
        }
        noteCommitted(committed, at: sentAt)
        return [.replay(after: applied)]
    }

    /// A notification. Applies it when it is the next number; asks for a replay when one is missing.
    mutating func notified(_ notice: InvalidationNotice, at now: Int64) -> [Action] {
        guard synchronized, notice.sequence > applied else { return [] }
        guard notice.sequence == applied + 1, !notice.keysInLog else {
            noteCommitted(notice.sequence, at: now)
            return [.replay(after: applied)]
        }
        return apply(notice)
    }

    /// The rows of the log after `after` (in order) and the namespace's committed number, read
    /// in one statement sent at `sentAt`.
    mutating func replayed(_ rows: [InvalidationNotice], committed: Int64, after: Int64, sentAt: Int64) -> [Action] {
        guard synchronized else { return [] }
        // A replay is answered for the number it was asked from; a notification applied since
        // moves the start: skip what is already applied.
        let fresh = rows.filter { $0.sequence > applied }
        var actions: [Action] = []
        if committed < applied {
            return checked(committed: committed, sentAt: sentAt)
        }
        if let first = fresh.first, first.sequence != applied + 1 {
            return pruned(committed: committed, sentAt: sentAt)
        }
        if fresh.isEmpty, committed > applied {
            return pruned(committed: committed, sentAt: sentAt)
        }
        for row in fresh {
            guard row.sequence == applied + 1 else { return actions + pruned(committed: committed, sentAt: sentAt) }
            actions += apply(row)
        }
        if applied >= committed {
            lastVerified = max(lastVerified ?? sentAt, sentAt)
            latest = max(latest, applied)
            if latest == applied { behindSince = nil }
        }
        return actions
    }

    /// What is left of the lease at `now` (nanoseconds, at most the lease); nil when never verified.
    func remainingLease(at now: Int64) -> Int64? {
        lastVerified.map { max(0, lease - (now - $0)) }
    }

    /// Whether the namespace is verified at `now`: checked within the lease.
    func isVerified(at now: Int64) -> Bool {
        guard let lastVerified else { return false }
        return now - lastVerified <= lease
    }

    /// Nanoseconds since the last verification (or since `start` when never verified).
    func sinceVerified(at now: Int64, start: Int64) -> Int64 { now - (lastVerified ?? start) }

    /// How long the oldest unapplied invalidation has been known, in nanoseconds.
    func lag(at now: Int64) -> Int64 { behindSince.map { max(0, now - $0) } ?? 0 }

    private mutating func apply(_ notice: InvalidationNotice) -> [Action] {
        applied = notice.sequence
        if latest <= applied { latest = applied; behindSince = nil }
        guard let keys = notice.keys else { return [.flush(.namespace)] }
        return [.remove(keys)]
    }

    private mutating func pruned(committed: Int64, sentAt: Int64) -> [Action] {
        applied = committed
        latest = committed
        behindSince = nil
        lastVerified = max(lastVerified ?? sentAt, sentAt)
        return [.flush(.pruned)]
    }

    private mutating func noteCommitted(_ sequence: Int64, at now: Int64) {
        if sequence > latest { latest = sequence }
        if behindSince == nil { behindSince = now }
    }
}
