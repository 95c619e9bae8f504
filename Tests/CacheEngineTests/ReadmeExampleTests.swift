import CacheEngine
import CacheEngineTesting
import Synchronization
import Testing

/// The README's embedding example, with stand-ins for the host's types, so the documented calls
/// keep compiling and behaving as described.
@Suite("README example")
struct ReadmeExampleTests {
    struct User: Sendable, Equatable { let id: String }

    struct Database: Sendable {
        let calls = Counter()
        func user(id: String) async throws -> User? {
            calls.increment()
            return id == "u:42" ? User(id: id) : nil
        }
    }

    @Test func embeddingExampleWorksAsDocumented() async throws {
        let database = Database()
        let alice = User(id: "u:1")
        let users = try Cache<String, User>(capacity: 100_000, defaultTTL: .seconds(600))

        users.set("u:1", alice)
        #expect(users.get("u:1") == alice)
        users.set("session:9", User(id: "s"), ttl: .seconds(30))

        let user = try await users.value(forKey: "u:42", absentTTL: .seconds(30)) { id in
            try await database.user(id: id)
        }
        #expect(user == User(id: "u:42"))
        for _ in 0..<3 {
            let missing = try await users.value(forKey: "u:404", absentTTL: .seconds(30)) { id in
                try await database.user(id: id)
            }
            #expect(missing == nil)
        }
        #expect(database.calls.value == 2, "one load for u:42, one for the cached absence of u:404")

        let removals = Counter()
        let blobs = try Cache<String, [UInt8]>(
            capacity: 64 << 20, weigher: { _, bytes in bytes.count },
            removalListener: { _, _, cause in if cause == .explicit { removals.increment() } })
        blobs.set("a", [UInt8](repeating: 0, count: 1_024))
        #expect(blobs.weightedSize == 1_024)
        blobs.remove("a")
        #expect(removals.value == 1)

        let clock = ManualClock()
        let tokens = try Cache<String, String>(capacity: 1_000, clock: clock)
        tokens.set("t:1", "secret", ttl: .seconds(60))
        #expect(tokens.get("t:1") == "secret")
        clock.advance(by: .seconds(61))
        #expect(tokens.get("t:1") == nil)
    }
}
