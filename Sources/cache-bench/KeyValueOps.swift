import CacheEngine

/// The two operations the benchmark loops need; every cache gets a concrete conformance so that
/// the loops are specialised per cache type rather than called through an existential.
protocol KeyValueOps {
    func value(forKey key: UInt64) -> UInt64?
    func setValue(_ value: UInt64, forKey key: UInt64)
}

extension Cache: KeyValueOps where Key == UInt64, Value == UInt64 {
    func setValue(_ value: UInt64, forKey key: UInt64) { setValue(value, forKey: key, ttl: nil) }
}

struct SubjectOps<S: BenchSubject>: KeyValueOps {
    let subject: S
    init(_ subject: S) { self.subject = subject }
    @inline(__always) func value(forKey key: UInt64) -> UInt64? { subject.get(key) }
    @inline(__always) func setValue(_ value: UInt64, forKey key: UInt64) { subject.set(key, value) }
}

struct AnySubjectOps: KeyValueOps {
    let subject: any BenchSubject
    func value(forKey key: UInt64) -> UInt64? { subject.get(key) }
    func setValue(_ value: UInt64, forKey key: UInt64) { subject.set(key, value) }
}

/// Code that runs against one cache's get and set, specialised for the concrete cache type.
protocol OpsBody {
    associatedtype Result
    func run<C: KeyValueOps>(_ cache: C) -> Result
}

/// Runs `body` on `subject` through its concrete type (one dispatch for every mode).
func withSpecializedOps<Body: OpsBody>(_ subject: any BenchSubject, _ body: Body) -> Body.Result {
    switch subject {
    case let engine as EngineSubject: return body.run(engine.cache)
    case let dict as MutexDictSubject: return body.run(SubjectOps(dict))
    case let lru as MutexLRUSubject: return body.run(SubjectOps(lru))
    case let nscache as NSCacheSubject: return body.run(SubjectOps(nscache))
    default: return body.run(AnySubjectOps(subject: subject))
    }
}
