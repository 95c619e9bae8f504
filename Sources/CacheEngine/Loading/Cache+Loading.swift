/// Read-through loading with single flight.
extension Cache {
    @usableFromInline
    package enum LoadStep: Sendable {
        case cached(Value?)
        case join(LoadFlight<Value>)
        case lead(LoadFlight<Value>)
        /// A hit on an entry past its refresh age: the cached value, and the flight this caller
        /// opened to reload it in the background.
        case refresh(Value, LoadFlight<Value>)
    }

    /// The value for `key`: from the cache, or from `loader`, run once however many tasks ask
    /// for the same missing key at the same time; they all receive its result.
    ///
    /// - The loader returns the value, or nil when the key does not exist. With `absentTTL`,
    ///   that absence is cached (negative caching) so repeated requests for a missing key do
    ///   not reach the backend until it expires.
    /// - A failing load is not cached: every waiter receives the error, the next call loads again.
    /// - The load runs in its own task in the cache's ``TaskRegistry`` (kind `loader`):
    ///   cancelling one waiter resumes that waiter with `CancellationError` and leaves the load
    ///   running for the others; the result is cached even if every waiter has gone.
    /// - The in-flight entry for the key exists only while the load runs, whatever its outcome.
    /// - A `setValue`, `setAbsent`, `removeValue` or `removeAll` that happens while the load runs wins: the
    ///   waiters still receive the load's result, but it is not stored over the newer state.
    ///
    /// - Parameters:
    ///   - key: the key wanted.
    ///   - ttl: the loaded value's time to live (nil: the cache's default).
    ///   - absentTTL: how long to cache an absence (nil: do not cache it).
    ///   - refreshAfter: the age after which a read of the entry returns the cached value at
    ///     once and starts one background reload (stale-while-revalidate); see
    ///     ``value(forKey:refreshAfter:loader:)``.
    ///   - loader: fetches the value from the source of truth: nil when the key does not exist.
    public func value(
        forKey key: Key,
        ttl: Duration? = nil,
        absentTTL: Duration? = nil,
        refreshAfter: Duration? = nil,
        loader: @escaping @Sendable (Key) async throws -> Value?
    ) async throws -> Value? {
        try await completeLoad(beginLoad(key, refreshAfter: refreshAfter), ttl: ttl, absentTTL: absentTTL, loader: loader)
    }

    /// The value for `key`, from the cache or from a loader that decides how long its answer
    /// lives: a token's `expires_in`, an HTTP `max-age`, a short TTL for an absence. Single
    /// flight, failures, cancellation and the rule that a write during the load wins are as in
    /// ``value(forKey:ttl:absentTTL:refreshAfter:loader:)``.
    ///
    /// **Refresh after write.** With `refreshAfter`, a read that finds a value written at least
    /// that long ago returns it at once and starts one reload in the background (a registered
    /// task of kind `refresher`), unless the key is already loading; callers never wait for it.
    /// The reload's answer replaces the entry with its own TTL; a failed reload keeps the old
    /// value (counted in the snapshot's `loads.refresh_failures`), and a write or removal during
    /// the reload wins over it. The write time of an entry is kept with its deadline, so only
    /// entries that carry a TTL (their own or the cache's default) are refreshed; set
    /// `refreshAfter` below the TTL, so that popular keys are reloaded before they expire.
    public func value(
        forKey key: Key,
        refreshAfter: Duration? = nil,
        loader: @escaping @Sendable (Key) async throws -> Loaded<Value>
    ) async throws -> Value? {
        try await completeLoad(beginLoad(key, refreshAfter: refreshAfter), loading: loader)
    }

    /// The synchronous half of ``value(forKey:ttl:absentTTL:loader:)``: the lookup (counted as a
    /// hit or a miss) and, on a miss, joining the key's flight or opening one. The caller must
    /// pass a `join` or `lead` step on to ``completeLoad(_:ttl:absentTTL:loader:)``, or the
    /// flight it opened never ends. Lets a caller with many keys (the workload generator) spend a
    /// task only on misses.
    package func beginLoad(_ key: Key, refreshAfter: Duration? = nil) -> (step: LoadStep, key: Key, hash: KeyHash) {
        let hash = KeyHash(key)
        let refreshAge = refreshAfter?.nanosecondsClamped
        // A hit needs no lock unless it may be due for a refresh; a miss opens a flight under it.
        if refreshAge == nil, Self.readsWithoutLock, readsLockFree,
           case .hit(let value)? = lookupWithoutLock(key, hash: hash, answersMisses: false) {
            return (.cached(value), key, hash)
        }
        let step: LoadStep = withShard(hash: hash) { store in
            switch store.lookup(key, hash: hash, clock: clock) {
            case .hit(let value):
                if let refreshAge, store.flights[key] == nil,
                   let written = store.writeTime(of: key, hash: hash), clock.nanoseconds() &- written >= refreshAge {
                    let flight = LoadFlight<Value>()
                    store.flights[key] = flight
                    return .refresh(value, flight)
                }
                return .cached(value)
            case .absent: return .cached(nil)
            case .miss:
                if let flight = store.flights[key] { return .join(flight) }
                let flight = LoadFlight<Value>()
                store.flights[key] = flight
                return .lead(flight)
            }
        }
        return (step, key, hash)
    }

    /// The asynchronous half: the cached value, or the flight's result (starting the load in its
    /// own registered task when this caller leads).
    package func completeLoad(
        _ begun: (step: LoadStep, key: Key, hash: KeyHash),
        ttl: Duration?, absentTTL: Duration?,
        loader: @escaping @Sendable (Key) async throws -> Value?
    ) async throws -> Value? {
        try await completeLoad(begun) { key in
            Loaded(value: try await loader(key), ttl: ttl, absentTTL: absentTTL)
        }
    }

    /// The asynchronous half, with a loader that returns each answer's lifetime.
    func completeLoad(
        _ begun: (step: LoadStep, key: Key, hash: KeyHash),
        loading loader: @escaping @Sendable (Key) async throws -> Loaded<Value>
    ) async throws -> Value? {
        let (step, key, hash) = begun
        switch step {
        case .cached(let value):
            return value
        case .join(let flight):
            return try await flight.wait()
        case .lead(let flight):
            startLoad(key, hash: hash, flight: flight, kind: .loader, loader: loader)
            return try await flight.wait()
        case .refresh(let value, let flight):
            startLoad(key, hash: hash, flight: flight, kind: .refresher, loader: loader)
            return value
        }
    }

    /// Runs `loader` for the flight this caller opened, in a registered task of `kind`, and
    /// ends the flight with its answer.
    func startLoad(
        _ key: Key, hash: KeyHash, flight: LoadFlight<Value>, kind: TaskKind,
        loader: @escaping @Sendable (Key) async throws -> Loaded<Value>
    ) {
        let started = clock.nanoseconds()
        tasks.spawn(kind) { [self] in
            let result: Result<Loaded<Value>, any Error>
            do {
                result = .success(try await loader(key))
            } catch {
                result = .failure(error)
            }
            finishLoad(key, hash: hash, flight: flight, result: result, elapsed: clock.nanoseconds() - started,
                       refresh: kind == .refresher)
        }
    }

    /// Stores a load's outcome, drops the in-flight entry and wakes the waiters.
    func finishLoad(
        _ key: Key, hash: KeyHash, flight: LoadFlight<Value>, result: Result<Loaded<Value>, any Error>, elapsed: Int64,
        refresh: Bool = false
    ) {
        var loaded: Loaded<Value>?
        if case .success(let answer) = result { loaded = answer }
        let loadedCost = loaded?.value.map { cost(of: key, $0) } ?? 1
        withShard(hash: hash) { store in
            // The flight leaves the table first, so the store below does not supersede itself.
            if store.flights[key] === flight { store.flights[key] = nil }
            // A write or removal during the load is newer than what the load read: keep it.
            guard !flight.isSuperseded, let loaded, loaded.stored else { return }
            if let value = loaded.value {
                let ttl = loaded.ttl?.nanosecondsClamped ?? defaultTTL
                store.set(key, hash: hash, value: value, cost: loadedCost, ttl: ttl, clock: clock)
            } else if let absentTTL = loaded.ttl {
                store.set(key, hash: hash, value: nil, cost: 1, ttl: absentTTL.nanosecondsClamped, clock: clock)
            }
        }
        loadStatistics.withLock { $0.record(success: loaded != nil, nanoseconds: elapsed, refresh: refresh) }
        flight.complete(with: result.map(\.value))
    }
}

/// Counts and latencies of completed loads.
struct LoadStatistics {
    var successes = 0
    var failures = 0
    var refreshes = 0
    var refreshFailures = 0
    var latency = LatencyHistogram()

    mutating func record(success: Bool, nanoseconds: Int64, refresh: Bool) {
        if success { successes += 1 } else { failures += 1 }
        if refresh {
            refreshes += 1
            if !success { refreshFailures += 1 }
        }
        latency.record(nanoseconds: nanoseconds)
    }
}
