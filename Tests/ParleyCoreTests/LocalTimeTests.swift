import Foundation
@testable import ParleyCore
import ParleyTestSupport
import Testing

@Suite struct LocalTimeTests {
    /// Quiet hours read the wall clock by arithmetic; it must say what the Gregorian calendar says, in every kind of zone.
    @Test func agreesWithTheCalendar() {
        let zones = ["America/Chicago", "America/New_York", "America/Los_Angeles", "America/Phoenix", "Pacific/Honolulu", "America/Anchorage",
                     "America/St_Johns", "Asia/Kolkata", "Australia/Lord_Howe", "Pacific/Chatham", "Europe/London", "UTC"]
            .map { TimeZone(identifier: $0)! }
        var generator = SeededGenerator(seed: 20261205)
        for _ in 0..<5000 {
            // 1900 to 2100, with fractions of a second.
            let time = Date(timeIntervalSince1970: Double.random(in: -2_208_988_800...4_102_444_800, using: &generator))
            let zone = zones.randomElement(using: &generator)!
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .weekday], from: time)
            let local = LocalTime(time, in: zone)
            let expected: [Int] = [parts.year!, parts.month!, parts.day!, parts.weekday!, parts.hour! * 60 + parts.minute!]
            #expect([local.year, local.month, local.day, local.weekday, local.minuteOfDay] == expected, "\(time) in \(zone.identifier)")
        }
    }
}
