@testable import CacheFleet
import Testing

/// The ledger that refuses values older than an invalidation the cache applied.
@Suite struct StampLedgerTests {
    @Test func aStampBelowTheKeysLastInvalidationIsRefused() {
        var ledger = StampLedger()
        #expect(ledger.admits("7", stamp: 0), "nothing applied yet: any stamp")
        ledger.record(["7", "8"], sequence: 5)
        #expect(!ledger.admits("7", stamp: 4), "read before invalidation 5 of key 7")
        #expect(ledger.admits("7", stamp: 5))
        #expect(ledger.admits("9", stamp: 0), "another key's invalidation says nothing of key 9")
        ledger.record(["7"], sequence: 9)
        #expect(!ledger.admits("7", stamp: 8))
        #expect(ledger.admits("8", stamp: 5))
    }

    @Test func aFlushRaisesTheFloorForEveryKey() {
        var ledger = StampLedger()
        ledger.record(["1"], sequence: 3)
        ledger.flushed(at: 10)
        #expect(!ledger.admits("2", stamp: 9), "a flush stands for invalidations of keys it does not name")
        #expect(ledger.admits("2", stamp: 10))
        #expect(ledger.admits("1", stamp: 10))
    }

    @Test func forgettingTheOldestKeysRaisesTheFloorToTheirNumbers() {
        var ledger = StampLedger(capacity: 3)
        for (index, key) in ["a", "b", "c", "d", "e"].enumerated() { ledger.record([key], sequence: Int64(index + 1)) }
        #expect(ledger.floor == 2, "a and b (numbers 1 and 2) were forgotten")
        #expect(!ledger.admits("a", stamp: 1))
        #expect(!ledger.admits("z", stamp: 1), "below the floor nothing is known: refused")
        #expect(!ledger.admits("e", stamp: 4))
        #expect(ledger.admits("e", stamp: 5))
        for round in 0..<10_000 { ledger.record(["k\(round % 50)"], sequence: Int64(10 + round)) }
        #expect(ledger.admits("k49", stamp: 10_009))
    }
}
