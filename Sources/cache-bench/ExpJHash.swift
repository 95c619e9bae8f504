import CacheEngine

struct JKey: Hashable, Sendable {
    let v: UInt64
    static func == (a: JKey, b: JKey) -> Bool { a.v == b.v }
    func hash(into hasher: inout Hasher) { hasher.combine(v) }
    var hashValue: Int { Int(Int32(truncatingIfNeeded: v ^ (v >> 32))) }
}

enum ExpJHash {
    static func run(keys: [UInt64], capacity: Int) -> Int {
        let cache = try! Cache<JKey, UInt64>(capacity: capacity, shardCount: 1)
        var hits = 0
        for k in keys {
            let key = JKey(v: k)
            if cache.get(key) != nil { hits += 1 } else { cache.set(key, k) }
        }
        return hits
    }
}
