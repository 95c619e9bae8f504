/// Which loaded values are new enough to store, for loaders that may read a lagging replica.
///
/// A load is stamped with the namespace's committed sequence number as its own snapshot saw it
/// (`cachetop_stamp(ns)` in the statement that reads the row): every invalidation numbered at
/// most the stamp is already reflected in what it read. The ledger remembers, for recently
/// invalidated keys, the number of the invalidation the cache applied; a value stamped below
/// it predates that change and must not be stored. Older entries are forgotten beyond
/// ``capacity``, raising a floor below which every stamp is refused; a flush raises the floor to
/// the number applied, since it stands for invalidations of unknown keys.
///
/// A value type behind the bus's lock. O(1) per key recorded or checked, amortised.
struct StampLedger: Sendable {
    /// How many keys are remembered.
    let capacity: Int
    private(set) var floor: Int64 = 0
    private var latest: [String: Int64] = [:]
    /// Keys in the order they were recorded, for forgetting the oldest.
    private var order: [String] = []
    private var head = 0

    init(capacity: Int = 65_536) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    /// The cache applied invalidation `sequence`, naming `keys`.
    mutating func record(_ keys: [String], sequence: Int64) {
        for key in keys {
            if latest.updateValue(sequence, forKey: key) == nil { order.append(key) }
        }
        while latest.count > capacity {
            let oldest = order[head]
            head += 1
            if let forgotten = latest.removeValue(forKey: oldest) { floor = max(floor, forgotten) }
        }
        if head > capacity {
            order.removeFirst(head)
            head = 0
        }
    }

    /// The cache applied a whole-namespace invalidation, or emptied itself, at `sequence`.
    mutating func flushed(at sequence: Int64) {
        floor = max(floor, sequence)
        latest.removeAll(keepingCapacity: true)
        order.removeAll(keepingCapacity: true)
        head = 0
    }

    /// Whether a value of `key` read at `stamp` may be stored.
    func admits(_ key: String, stamp: Int64) -> Bool {
        stamp >= floor && stamp >= (latest[key] ?? 0)
    }
}
