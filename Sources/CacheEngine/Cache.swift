import Synchronization

/// An in-process cache: sharded, bounded by entry count or total cost, with per-entry TTL,
/// single-flight loading, runtime resize and live metrics.
///
/// ## Design
///
/// **Concurrency.** Keys are spread over a power-of-two number of shards by the high bits of
/// their hash. Each shard is a `Mutex` around flat storage, its own policy, its own expiry
/// wheel and its own counters; a write takes exactly one shard lock, briefly, and never calls
/// user code (loaders, weighers aside, and the removal listener) while holding it. A hit on a
/// cache whose keys and values are plain words (integers, floats, structs of them) takes no
/// lock: it reads the slab optimistically and checks the shard's sequence number afterwards,
/// retrying under the lock if a writer overlapped it, and records the hit in a per-thread
/// stripe that the policy drains in batches, dropping records only while the shard is busy.
/// There is no global lock and no global atomic on the hot path, and a read writes only cache
/// lines of its own thread, so throughput scales with cores until a single hot shard saturates. The default shard count is the smallest of 32 per core
/// and what keeps at least `CacheLimits.preferredShardCapacity` entries of capacity per
/// shard, because each shard runs its own policy and small policies lose accuracy. Many shards
/// per core keep two threads rarely on the same lock even under skew (Zipf 0.99 puts 6.5% of all
/// requests on one key); each shard sits on cache lines of its own (`ShardTable`).
///
/// **Eviction.** Capacity is split evenly across shards and each shard enforces its share
/// synchronously, in the inserting thread, before the insert returns: `count <= capacity` holds
/// at every instant, whatever the write rate (no background cleaner to fall behind). The policy
/// is Window TinyLFU, as in Caffeine: new entries enter a small LRU window, then must win
/// admission into a segmented LRU main space against its least valuable resident by the
/// estimate of a 4-bit count-min frequency sketch. The window's size follows the workload by
/// regret, as ARC's split does: a recently rejected candidate that returns while still rare
/// grows it, a recently evicted victim that returns shrinks it. How much more popular than the
/// victim a candidate must be is learned too: the filter's close calls are judged by which of
/// the two keys is requested first, and a margin of one is demanded while close admissions
/// prove wrong (as under a loop, where each one evicts a key about to be read). Every hit
/// reaches the policy, but below half full, where nothing is evicted and the sketch does not
/// count yet, a hit only marks its entry; the marks are applied as reorders, in queue order,
/// when the shard reaches half full, so a shard below half full does not pay to order its queues.
///
/// **Expiration.** Each entry may carry a deadline: the end of its time to live and, in a cache
/// with a time to idle, a time after its last read or write, whichever comes first (a read moves
/// the second, never past the first). Reads treat an entry at or past its deadline as absent and
/// remove it (lazy expiry). Each shard also keeps a hierarchical timer
/// wheel (O(1) schedule and cancel); ``sweep()`` advances the wheels and removes only what is
/// due, so its cost follows the number of due entries, not the cache size. ``run()`` sweeps
/// periodically.
///
/// **Storage.** Entries live in per-shard slabs of flat records indexed by an open-addressing
/// table of 32-bit slot numbers. Most entries sit in one of four slots their hash prefers, which
/// a read loads while the index is prefetched, so a hit usually waits on one memory latency,
/// not two. An operation under a shard's lock prefetches the key's index position and first
/// preferred record before taking the lock, so that its misses overlap the lock instead of
/// following it. There is no per-entry heap object: for trivially copyable keys and values,
/// reads and writes cause no allocation and no reference counting.
///
/// **Structure.** A shard is four components with small interfaces: storage (slab, index,
/// preferred slots, free list), policy (queues, sketch, window sizer, admission judge, read
/// buffer), expiry (the timer wheel) and counters. The policy decides what to evict and the shard
/// frees it. One type, `KeyHash`, owns the bits of a key's hash: the shard, the index and the
/// preferred slot read the raw hash, the policy's tables read remixed words, and no two of them
/// share bits.
///
/// **Time** comes from the clock the host passes, any standard `Clock` measured in `Duration`
/// (`ContinuousClock` by default); tests pass `CacheEngineTesting`'s `ManualClock` and never
/// sleep.
///
/// **Background work** (the sweeper) runs only inside ``run()``, which the owner awaits (it is
/// a swift-service-lifecycle `Service`). Every task the cache starts goes through its
/// ``TaskRegistry``, is counted by kind in the snapshot, and is cancelled and awaited when
/// `run()` ends. Nothing starts in an initializer.
///
/// `Cache` is `Sendable`: every method may be called from any thread or task.
public final class Cache<Key: Hashable & Sendable, Value: Sendable>: @unchecked Sendable {
    // @unchecked: the shard table is a fixed allocation made in init and freed in deinit; every
    // access to a shard's contents goes through that shard's Mutex.
    @usableFromInline let shards: ShardTable<Key, Value>
    /// The number of shards (a power of two), fixed at creation.
    public var shardCount: Int { shards.count }
    @usableFromInline let shardShift: Int
    /// The clock every deadline, age and sweep of this cache is measured on.
    @usableFromInline package let clock: EngineClock
    /// The clock's reading when the cache was created.
    let createdAt: Int64
    @usableFromInline let weigher: (@Sendable (Key, Value) -> Int)?
    @usableFromInline let removalListener: (@Sendable (Key, Value?, RemovalCause) -> Void)?
    @usableFromInline let defaultTTL: Int64?

    /// How long an entry may go without a read or a write before it expires; nil for no limit.
    public let timeToIdle: Duration?
    /// The eviction policy.
    public let policy: EvictionPolicy
    /// How often ``run()`` sweeps expired entries.
    public let sweepInterval: Duration
    /// The registry that starts and counts every background task of this cache.
    public let tasks: TaskRegistry
    /// The hooks of a coherence provider (the invalidation bus): its status, the storing gate,
    /// the maximum time to live and the serving deadline.
    public let coherence: CacheCoherence

    /// Whether hits take no lock: word-copyable keys and values (``readsWithoutLock``) and no
    /// time to idle (whose reads move deadlines). Fixed at creation.
    @usableFromInline let readsLockFree: Bool

    let configuredCapacity: EngineMutex<Int>
    let sweepStatistics = EngineMutex(SweepStatistics())
    let loadStatistics = EngineMutex(LoadStatistics())
    let snapshotSequence = Atomic<UInt64>(0)

    /// Creates a cache.
    ///
    /// - Parameters:
    ///   - capacity: the bound: entries, or total cost when `weigher` is given. 1...2^48.
    ///   - weigher: the cost of an entry (clamped to 1...UInt32.max). Called outside any lock.
    ///   - shardCount: a power of two, 1...4096; by default chosen from the core count and the
    ///     capacity (see the type's design notes).
    ///   - defaultTTL: the time to live of entries written without one; nil for none.
    ///   - timeToIdle: with one, an entry also expires once it has gone this long without a
    ///     read or a write; a read moves its deadline, never past the end of its time to live.
    ///     Reads then take a clock reading each. Nil (the default) for none.
    ///   - sweepInterval: how often ``run()`` removes expired entries.
    ///   - clock: the time source: any `Clock` whose duration is `Duration`; tests pass
    ///     `CacheEngineTesting.ManualClock`.
    ///   - removalListener: told of every entry that leaves (key, value or nil for a cached
    ///     absence, cause), after the shard lock is released, on the thread that caused it.
    ///   - evictionListener: told of every entry the cache itself drops (cause `size` or
    ///     `expired`) *while the shard lock is held*, before any other thread can see the entry
    ///     gone: for hosts that must act before the entry disappears (write-behind, accounting).
    ///     It must be short, must not block, and must not call this cache (the shard lock is not
    ///     reentrant). Prefer `removalListener`, which runs after the lock is released.
    /// - Throws: ``CacheError`` for an invalid capacity, shard count or time to idle.
    public convenience init(
        capacity: Int,
        weigher: (@Sendable (Key, Value) -> Int)? = nil,
        shardCount: Int? = nil,
        defaultTTL: Duration? = nil,
        timeToIdle: Duration? = nil,
        sweepInterval: Duration = .seconds(1),
        clock: some Clock<Duration> = ContinuousClock(),
        removalListener: (@Sendable (Key, Value?, RemovalCause) -> Void)? = nil,
        evictionListener: (@Sendable (Key, Value?, RemovalCause) -> Void)? = nil
    ) throws(CacheError) {
        try self.init(capacity: capacity, weigher: weigher, policy: .windowTinyLFU, shardCount: shardCount,
                      defaultTTL: defaultTTL, timeToIdle: timeToIdle, sweepInterval: sweepInterval, clock: clock,
                      removalListener: removalListener, evictionListener: evictionListener)
    }

    /// Creates a cache that runs a benchmark baseline policy, for measuring the product against it.
    @_spi(Benchmark)
    public convenience init(capacity: Int, policy: EvictionPolicy, shardCount: Int? = nil) throws(CacheError) {
        try self.init(capacity: capacity, weigher: nil, policy: policy, shardCount: shardCount)
    }

    /// The one initializer every other calls; `policy` must be one the engine runs.
    init(
        capacity: Int,
        weigher: (@Sendable (Key, Value) -> Int)?,
        policy: EvictionPolicy,
        shardCount: Int?,
        defaultTTL: Duration? = nil,
        timeToIdle: Duration? = nil,
        sweepInterval: Duration = .seconds(1),
        clock: some Clock<Duration> = ContinuousClock(),
        removalListener: (@Sendable (Key, Value?, RemovalCause) -> Void)? = nil,
        evictionListener: (@Sendable (Key, Value?, RemovalCause) -> Void)? = nil
    ) throws(CacheError) {
        precondition(EvictionPolicy.runnable.contains(policy), "the engine does not run policy \(policy)")
        guard capacity >= 1, capacity <= CacheLimits.maximumCapacity else { throw .invalidCapacity(capacity) }
        let shards = shardCount ?? Self.defaultShardCount(capacity: capacity)
        guard shards >= 1, shards <= CacheLimits.maximumShards, shards.nonzeroBitCount == 1 else {
            throw .invalidShardCount(shards)
        }
        if weigher == nil, !Self.sharesFit(capacity: capacity, shards: shards) {
            throw .tooFewShards(capacity: capacity, shards: shards)
        }
        if let timeToIdle, timeToIdle <= .zero { throw .invalidTimeToIdle(timeToIdle) }
        self.shardShift = Int.bitWidth - shards.trailingZeroBitCount
        let clock = EngineClock(clock)
        self.clock = clock
        self.createdAt = clock.nanoseconds()
        self.weigher = weigher
        self.removalListener = removalListener
        self.defaultTTL = defaultTTL.map(\.nanosecondsClamped)
        self.timeToIdle = timeToIdle
        self.policy = policy
        self.sweepInterval = sweepInterval
        self.tasks = TaskRegistry()
        let coherence = CacheCoherence()
        self.coherence = coherence
        self.configuredCapacity = EngineMutex(capacity)
        let now = clock.nanoseconds()
        let lockFree = Self.readsWithoutLock && timeToIdle == nil
        self.readsLockFree = lockFree
        self.shards = ShardTable(count: shards, stripes: lockFree ? Self.stripesPerShard() : 1) { index, readState in
            ShardStore<Key, Value>(
                maximum: Self.share(of: capacity, shard: index, shards: shards),
                policy: policy,
                weighted: weigher != nil,
                recordsRemovals: removalListener != nil,
                evictionListener: evictionListener,
                coherence: coherence,
                idleNanoseconds: timeToIdle?.nanosecondsClamped,
                now: now,
                seed: 0x9E37_79B9_7F4A_7C15 &* UInt64(index + 1),
                readState: lockFree ? readState : nil
            )
        }
    }

    deinit {
        shards.deallocate()
    }

    /// The default shard count: 32 per core, but no more than keeps about
    /// `CacheLimits.preferredShardCapacity` of capacity in each shard.
    public static func defaultShardCount(capacity: Int, cores: Int? = nil) -> Int {
        let byCores = max(1, (cores ?? ProcessorCount.online) * 32).nextPowerOfTwo
        var byCapacity = 1
        while byCapacity * 2 * CacheLimits.preferredShardCapacity <= capacity { byCapacity *= 2 }
        var shards = min(byCores, byCapacity)
        while !sharesFit(capacity: capacity, shards: shards), shards < CacheLimits.maximumShards { shards *= 2 }
        return shards
    }

    /// Whether every shard's share of an entry capacity fits in one shard's index.
    static func sharesFit(capacity: Int, shards: Int) -> Bool {
        (capacity + shards - 1) / shards <= CacheLimits.maximumEntriesPerShard
    }

    /// Shard `shard`'s share of `capacity`: an even split, the remainder to the first shards.
    static func share(of capacity: Int, shard: Int, shards: Int) -> Int {
        capacity / shards + (shard < capacity % shards ? 1 : 0)
    }

    @inlinable
    func shardIndex(_ hash: KeyHash) -> Int {
        hash.shard(shift: shardShift)
    }

    /// Runs `body` on the shard for `hash` under its lock, then delivers any removals to the
    /// listener after the lock is released. For keys and values in plain words, the lines the
    /// body's lookup will load first are prefetched before the lock is taken
    /// (``ShardReadState/prefetchForLockedAccess(_:stride:)``).
    @inlinable
    func withShard<Result: Sendable>(hash: KeyHash, _ body: (inout ShardStore<Key, Value>) -> Result) -> Result {
        let index = shardIndex(hash)
        if Self.readsWithoutLock {
            shards.readState(index).pointee.prefetchForLockedAccess(hash, stride: SlotStorage<Key, Value>.recordStride)
        }
        guard removalListener != nil else {
            return shards[index].withLock { body(&$0) }
        }
        let (result, removed) = shards[index].withLock { store in
            (body(&store), store.takeRemovals())
        }
        deliver(removed)
        return result
    }

    /// Runs `body` on every shard in turn, each under its own lock.
    func forEachShard(_ body: (Int, inout ShardStore<Key, Value>) -> Void) {
        for index in 0..<shardCount {
            let removed = shards[index].withLock { store in
                body(index, &store)
                return store.takeRemovals()
            }
            deliver(removed)
        }
    }

    /// The sum of `value` over the shards, each read under its own lock. O(shards). Inlinable,
    /// so that callers such as ``count`` are specialized for their key and value types: the
    /// unspecialized form copied each shard's store while holding its lock.
    @inlinable
    func sumOverShards(_ value: (inout ShardStore<Key, Value>) -> Int) -> Int {
        var total = 0
        for index in 0..<shardCount { total += shards[index].withLock { value(&$0) } }
        return total
    }

    @usableFromInline
    func deliver(_ removed: [RemovedEntry<Key, Value>]) {
        guard let removalListener, !removed.isEmpty else { return }
        for entry in removed { removalListener(entry.key, entry.value, entry.cause) }
    }

    @inlinable
    func cost(of key: Key, _ value: Value) -> Int {
        guard let weigher else { return 1 }
        return min(max(weigher(key, value), 1), Int(UInt32.max))
    }
}

/// The number of processors available to this process.
package enum ProcessorCount {
    package static var online: Int {
        #if canImport(Glibc)
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return 1
        #endif
    }
}

#if canImport(Glibc)
import Glibc
#endif
