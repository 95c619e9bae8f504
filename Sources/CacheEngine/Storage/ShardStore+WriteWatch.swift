/// Optimistic read-modify-write without running user code under the shard lock.
///
/// `computeValue` and `removeAll(where:)` read an entry under the lock, release it, run the caller's
/// closure, and take the lock again to commit. Between the two, another thread may write the
/// same key; committing then would lose that write. So before releasing the lock the operation
/// *watches* the key: every write to a watched key (set, remove, removeAll) counts in its
/// `KeyWatch`, and the commit goes ahead only if the count it read is still the count now. A
/// watch costs one dictionary entry for as long as the operation runs; a shard with no watched
/// key pays one `isEmpty` check per write, as for loads in flight. Evictions and expiry are not
/// writes: committing a value computed from an entry the policy dropped meanwhile loses nothing
/// a caller wrote.
extension ShardStore {
    /// Starts watching `key`; returns its write count to compare at commit. O(1).
    @inlinable
    mutating func watch(_ key: Key) -> UInt64 {
        watchedKeys[key, default: KeyWatch()].watchers += 1
        return watchedKeys[key]!.writes
    }

    /// Stops one watch of `key`. O(1).
    @inlinable
    mutating func unwatch(_ key: Key) {
        guard var watch = watchedKeys[key] else { return }
        watch.watchers -= 1
        watchedKeys[key] = watch.watchers > 0 ? watch : nil
    }

    /// The writes counted on a watched `key` (0 if not watched).
    @inlinable
    func writes(to key: Key) -> UInt64 {
        watchedKeys[key]?.writes ?? 0
    }

    /// Tells a load in flight and any watch of `key` that a write overtook them. O(1); free when
    /// nothing is loading or watched.
    @inlinable
    mutating func noteWrite(to key: Key) {
        supersedeLoad(of: key)
        if !watchedKeys.isEmpty, watchedKeys[key] != nil { watchedKeys[key]!.writes &+= 1 }
    }

    /// Counts a write on every watched key (the shard was cleared). O(watched keys).
    @inlinable
    mutating func noteWriteToEveryWatchedKey() {
        for key in watchedKeys.keys { watchedKeys[key]!.writes &+= 1 }
    }
}

/// The writes seen on a watched key, and how many operations watch it.
@usableFromInline
struct KeyWatch: Sendable {
    @usableFromInline var writes: UInt64 = 0
    @usableFromInline var watchers = 0

    @inlinable
    init() {}
}
