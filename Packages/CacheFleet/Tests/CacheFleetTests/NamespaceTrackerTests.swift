@testable import CacheFleet
import CacheVocabulary
import Testing

/// The invalidation protocol without a database: times are nanoseconds passed in.
@Suite struct NamespaceTrackerTests {
    let second: Int64 = 1_000_000_000

    func notice(_ sequence: Int64, _ keys: [String]? = ["k\(0)"], inLog: Bool = false) -> InvalidationNotice {
        InvalidationNotice(namespace: "ns", sequence: sequence, keys: keys, keysInLog: inLog)
    }

    func synchronized(at committed: Int64 = 10) -> NamespaceTracker {
        var tracker = NamespaceTracker(name: "ns", leaseNanoseconds: 10 * second)
        #expect(tracker.checked(committed: committed, sentAt: 0) == [.clear])
        return tracker
    }

    @Test func theFirstCheckSetsTheBaseAndEmptiesTheCache() {
        let tracker = synchronized()
        #expect(tracker.applied == 10)
        #expect(tracker.isVerified(at: 5 * second))
    }

    @Test func notificationsBeforeTheFirstCheckAreLeftToIt() {
        var tracker = NamespaceTracker(name: "ns", leaseNanoseconds: second)
        #expect(tracker.notified(notice(1), at: 0).isEmpty)
        #expect(!tracker.isVerified(at: 0))
    }

    @Test func theNextNumberIsAppliedAndDuplicatesAreIgnored() {
        var tracker = synchronized()
        #expect(tracker.notified(notice(11, ["a", "b"]), at: 1) == [.remove(["a", "b"])])
        #expect(tracker.notified(notice(11, ["a", "b"]), at: 2).isEmpty)
        #expect(tracker.notified(notice(9), at: 3).isEmpty)
        #expect(tracker.applied == 11)
    }

    @Test func aWholeNamespaceInvalidationFlushes() {
        var tracker = synchronized()
        #expect(tracker.notified(notice(11, nil), at: 1) == [.flush(.namespace)])
    }

    @Test func aGapAsksForAReplayAndTheReplayAppliesInOrder() {
        var tracker = synchronized()
        #expect(tracker.notified(notice(13), at: second) == [.replay(after: 10)])
        #expect(tracker.latest == 13)
        #expect(tracker.lag(at: 3 * second) == 2 * second)
        let rows = [notice(11, ["a"]), notice(12, ["b"]), notice(13, ["c"])]
        #expect(tracker.replayed(rows, committed: 13, after: 10, sentAt: 4 * second)
                == [.remove(["a"]), .remove(["b"]), .remove(["c"])])
        #expect(tracker.applied == 13)
        #expect(tracker.lag(at: 5 * second) == 0)
    }

    @Test func keysLeftInTheLogAreReadFromIt() {
        var tracker = synchronized()
        #expect(tracker.notified(notice(11, nil, inLog: true), at: 1) == [.replay(after: 10)])
    }

    @Test func aReplayThatDoesNotStartRightAfterTheAppliedNumberFlushes() {
        var tracker = synchronized()
        #expect(tracker.notified(notice(14), at: 1) == [.replay(after: 10)])
        #expect(tracker.replayed([notice(13), notice(14)], committed: 14, after: 10, sentAt: 2) == [.flush(.pruned)])
        #expect(tracker.applied == 14)
        #expect(tracker.notified(notice(15, ["x"]), at: 3) == [.remove(["x"])])
    }

    @Test func aLogPrunedEmptyFlushes() {
        var tracker = synchronized()
        #expect(tracker.checked(committed: 12, sentAt: 1) == [.replay(after: 10)])
        #expect(tracker.replayed([], committed: 12, after: 10, sentAt: 2) == [.flush(.pruned)])
    }

    @Test func aNumberThatWentDownMeansTheLogWasResetAndFlushes() {
        var tracker = synchronized()
        #expect(tracker.checked(committed: 3, sentAt: 1) == [.flush(.reset)])
        #expect(tracker.applied == 3)
    }

    @Test func aReplayAnsweredAfterANotificationSkipsWhatIsApplied() {
        var tracker = synchronized()
        #expect(tracker.checked(committed: 11, sentAt: 1) == [.replay(after: 10)])
        #expect(tracker.notified(notice(11, ["a"]), at: 2) == [.remove(["a"])])
        #expect(tracker.replayed([notice(11, ["a"])], committed: 11, after: 10, sentAt: 1).isEmpty)
        #expect(tracker.applied == 11)
    }

    @Test func theLeaseRunsFromWhenTheVerifyingCheckWasSent() {
        var tracker = synchronized()
        #expect(tracker.checked(committed: 10, sentAt: 20 * second).isEmpty)
        #expect(tracker.isVerified(at: 30 * second))
        #expect(!tracker.isVerified(at: 30 * second + 1))
        // A check sent earlier but answered later does not move the lease back.
        #expect(tracker.checked(committed: 10, sentAt: 15 * second).isEmpty)
        #expect(tracker.isVerified(at: 30 * second))
    }

    @Test func aCheckThatFindsUnappliedNumbersDoesNotVerify() {
        var tracker = synchronized()
        #expect(tracker.checked(committed: 12, sentAt: 20 * second) == [.replay(after: 10)])
        #expect(!tracker.isVerified(at: 20 * second + 1))
        #expect(tracker.replayed([notice(11), notice(12)], committed: 12, after: 10, sentAt: 20 * second).count == 2)
        #expect(tracker.isVerified(at: 25 * second))
    }

    @Test func malformedPayloadsAreRejectedWithAReason() {
        for payload in ["", "not json", "{\"ns\":\"\",\"seq\":1}", "{\"ns\":\"a\",\"seq\":0}", "{\"ns\":\"a\"}",
                        String(repeating: "x", count: 9_000)] {
            guard case .failure = InvalidationNotice.parse(payload) else {
                Issue.record("accepted \(payload.prefix(40))")
                continue
            }
        }
        let parsed = try? InvalidationNotice.parse("{\"ns\" : \"p\", \"seq\" : 4, \"keys\" : [\"1\",\"2\"], \"at\" : 1.5}").get()
        #expect(parsed == InvalidationNotice(namespace: "p", sequence: 4, keys: ["1", "2"], keysInLog: false,
                                             statementTimeMilliseconds: 1.5))
    }
}
