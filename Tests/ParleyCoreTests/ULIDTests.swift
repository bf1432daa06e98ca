import Foundation
import ParleyCore
import Testing

@Suite struct ULIDTests {
    @Test func encodesTheTimeLikeTheSpecification() {
        // The ULID specification's example: 1469918176385 ms → 01ARYZ6S41.
        let ulid = ULID(time: Date(timeIntervalSince1970: 1_469_918_176.385), randomBytes: [UInt8](repeating: 0, count: 10))
        #expect(ulid.string == "01ARYZ6S410000000000000000")
        #expect(abs(ulid.time.timeIntervalSince1970 - 1_469_918_176.385) < 0.001)
    }

    @Test func sortsByTime() {
        let earlier = ULID(time: Date(timeIntervalSince1970: 1_000))
        let later = ULID(time: Date(timeIntervalSince1970: 1_000.001))
        #expect(earlier < later)
        #expect(earlier.string.count == 26)
    }

    @Test func parsesOnlyValidText() {
        #expect(ULID("01arYZ6s410000000000000000")?.string == "01ARYZ6S410000000000000000")
        #expect(ULID("01ARYZ6S41") == nil)
        #expect(ULID("81ARYZ6S410000000000000000") == nil)
        #expect(ULID("01ARYZ6S41000000000000000U") == nil)
    }
}

@Suite struct ULIDMonotonicTests {
    @Test func afterSortsAfterThePreviousOneInTheSameMillisecond() {
        let time = Date(timeIntervalSince1970: 1_000)
        let first = ULID(time: time, randomBytes: [UInt8](repeating: 255, count: 9) + [254])
        let second = ULID.after(first, time: time)
        #expect(second > first)
        #expect(second.string.hasSuffix("Z"))
        let third = ULID.after(second, time: time)
        #expect(third > second)
        #expect(third.string.hasSuffix("0"))
        #expect(ULID.after(first, time: time.addingTimeInterval(1)).time > first.time)
    }
}
