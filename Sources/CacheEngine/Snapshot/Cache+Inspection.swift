/// One entry as shown by inspection.
public struct EntryInfo<Key: Sendable>: Sendable {
    public var key: Key
    /// The shard that holds the entry.
    public var shard: Int
    /// The entry's cost: 1 without a weigher.
    public var weight: Int
    /// The policy's estimate of recent accesses (0...15); nil while the shard's frequency sketch
    /// counts nothing yet (until the shard is half full).
    public var frequency: Int?
    /// Time since the entry was written; known for entries with a TTL.
    public var age: Duration?
    /// Time until the entry expires; nil when it has no TTL. Zero or less: expired, not yet swept.
    public var timeLeft: Duration?
    /// Whether the entry caches an absence.
    public var isAbsent: Bool
}

extension EntryInfo: Equatable where Key: Equatable {}

/// Looking at entries without disturbing the policy: no reordering, no frequency counting, no
/// counters touched. Each call's work is bounded by its `limit`, whatever the cache size.
extension Cache {
    /// The most limit-allowed entries inspection returns per call.
    public static var inspectionLimit: Int { 1_000 }

    /// Up to `limit` (at most ``inspectionLimit``) of the most popular entries: per shard, the
    /// most recently used end of the protected and window segments (at most 4 × limit
    /// candidates), ranked by the frequency sketch. Under LRU: the most recently used. A shard
    /// below half full has no sketch yet and defers its hits as marks: there up to 4 × limit
    /// entries marked as read rank first, found by a scan of the marks (O(slots / 64) per shard).
    public func hottest(_ limit: Int) -> [EntryInfo<Key>] {
        let limit = min(max(limit, 0), Self.inspectionLimit)
        guard limit > 0 else { return [] }
        let now = clock.nanoseconds()
        var all: [EntryInfo<Key>] = []
        for index in 0..<shardCount {
            shards[index].withLock { store in
                store.drainReads()
                let budget = 4 * limit
                var candidates: [Int32] = []
                for queue in [store.policy.protected, store.policy.window, store.policy.probation] {
                    var slot = queue.tail
                    while slot >= 0, candidates.count < budget {
                        candidates.append(slot)
                        slot = store.storage.links[Int(slot)].previous
                    }
                }
                let marks = store.policy.referenced
                if marks.pending {
                    // Below half full a hit marks its entry instead of moving it, and the
                    // sketch does not count yet: entries marked as read rank first, wherever
                    // they sit in their queues.
                    let links = store.storage.links
                    let read = marks.marked(limit: budget, below: store.storage.slabCapacity)
                        .filter { links[Int($0)].tag != SlotTag.free }
                    candidates = read + candidates.filter { !marks.isMarked($0) }
                }
                var infos = candidates.map { slot in
                    store.info(slot, shard: index, now: now,
                               frequency: store.policy.sketch.estimate(KeyHash(store.storage.key(at: slot))))
                }
                infos.sort { ($0.frequency ?? 0) > ($1.frequency ?? 0) }
                all += infos.prefix(limit)
            }
        }
        all.sort { ($0.frequency ?? 0) > ($1.frequency ?? 0) }
        return Array(all.prefix(limit))
    }

    /// The entry for `key` as inspection sees it, or nil when the key is not cached (or its
    /// deadline has passed): a look that is not a use, so the policy, the counters and a time
    /// to idle are untouched. O(1) expected; takes one shard lock.
    public func entryInfo(forKey key: Key) -> EntryInfo<Key>? {
        let hash = KeyHash(key)
        let now = clock.nanoseconds()
        return withShard(hash: hash) { store in
            let slot = store.storage.findSlot(key, hash: hash)
            guard slot >= 0, !store.wheel.isExpired(slot, now: { now }) else { return nil }
            return store.info(slot, shard: shardIndex(hash), now: now, frequency: store.policy.sketch.estimate(hash))
        }
    }

    /// Up to `limit` (at most ``inspectionLimit``) entries closest to expiry, soonest first,
    /// examining at most 16 × limit + 64 timer entries per shard.
    public func nextToExpire(_ limit: Int) -> [EntryInfo<Key>] {
        let limit = min(max(limit, 0), Self.inspectionLimit)
        guard limit > 0 else { return [] }
        let now = clock.nanoseconds()
        var all: [(deadline: Int64, info: EntryInfo<Key>)] = []
        for index in 0..<shardCount {
            shards[index].withLock { store in
                for entry in store.wheel.entriesNearestExpiry(limit: limit, budget: 16 * limit + 64) {
                    all.append((entry.deadline, store.info(entry.slot, shard: index, now: now, frequency: nil)))
                }
            }
        }
        return all.sorted { $0.deadline < $1.deadline }.prefix(limit).map(\.info)
    }
}

extension ShardStore {
    func info(_ slot: Int32, shard shardIndex: Int, now: Int64, frequency: Int?) -> EntryInfo<Key> where Key: Sendable {
        var age: Duration?
        var timeLeft: Duration?
        if let (deadline, writtenAt) = wheel.deadline(of: slot) {
            age = .nanoseconds(now - writtenAt)
            timeLeft = .nanoseconds(deadline - now)
        }
        return EntryInfo(key: storage.key(at: slot), shard: shardIndex, weight: storage.policySlots.weight(of: slot),
                         frequency: frequency, age: age, timeLeft: timeLeft, isAbsent: storage.isAbsent(slot))
    }
}
