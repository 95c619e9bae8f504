/// Loading many keys at once.
extension Cache {
    /// The values for `keys`: those cached are read, those already being loaded (by any caller,
    /// single or bulk) are awaited, and the rest go to one call of `loader`, which returns what
    /// it found. A key the loader leaves out does not exist; with `absentTTL` that absence is
    /// cached. Single flight holds per key across bulk and single loads: a key requested by a
    /// bulk call and a single call at once is loaded once.
    ///
    /// The result holds every requested key that has a value. If the loader throws, every
    /// waiter on its keys (this caller included) receives the error, nothing is cached for them,
    /// and this call throws it; so does a failed load of another caller that this call awaited.
    ///
    /// - Parameters:
    ///   - keys: the keys wanted; repeats are answered once.
    ///   - ttl: the loaded values' time to live (nil: the cache's default).
    ///   - absentTTL: how long to cache the absence of a key the loader did not return.
    ///   - loader: called at most once, in its own registered task (kind `loader`), with the keys
    ///     no one had cached or in flight, without duplicates.
    /// - Complexity: one shard lock per key to look up, one per loaded key to store.
    public func values(
        forKeys keys: some Sequence<Key>,
        ttl: Duration? = nil,
        absentTTL: Duration? = nil,
        loader: @escaping @Sendable ([Key]) async throws -> [Key: Value]
    ) async throws -> [Key: Value] {
        var found: [Key: Value] = [:]
        var waiting: [(Key, LoadFlight<Value>)] = []
        var leading: [(key: Key, hash: KeyHash, flight: LoadFlight<Value>)] = []
        var requested = Set<Key>()
        for key in keys where requested.insert(key).inserted {
            let (step, _, hash) = beginLoad(key)
            switch step {
            case .cached(let value): if let value { found[key] = value }
            case .refresh:
                // beginLoad answers .refresh only when given a refresh age, which this call never
                // passes; reaching it would leave an opened flight without a load.
                preconditionFailure("a bulk load asked for no refresh")
            case .join(let flight): waiting.append((key, flight))
            case .lead(let flight):
                leading.append((key, hash, flight))
                waiting.append((key, flight))
            }
        }
        if !leading.isEmpty {
            let started = clock.nanoseconds()
            tasks.spawn(.loader) { [self, leading] in
                let result: Result<[Key: Value], any Error>
                do {
                    result = .success(try await loader(leading.map(\.key)))
                } catch {
                    result = .failure(error)
                }
                let elapsed = clock.nanoseconds() - started
                for (key, hash, flight) in leading {
                    let answer = result.map { Loaded(value: $0[key], ttl: ttl, absentTTL: absentTTL) }
                    finishLoad(key, hash: hash, flight: flight, result: answer, elapsed: elapsed)
                }
            }
        }
        var firstError: (any Error)?
        for (key, flight) in waiting {
            do {
                if let value = try await flight.wait() { found[key] = value }
            } catch {
                if firstError == nil { firstError = error }
            }
        }
        if let firstError { throw firstError }
        return found
    }
}
