import Foundation
import ParleyCore
import Testing

@Suite struct TimestampTests {
    @Test(arguments: [
        ("2026-03-08T20:30:00-05:00", 1_773_019_800.0),
        ("2026-03-09T01:30:00Z", 1_773_019_800.0),
        ("2026-03-09T01:30:00.250Z", 1_773_019_800.25),
        ("2026-03-09 01:30:00+00:00", 1_773_019_800.0),
        ("1999-12-31T23:59:59+14:00", 946_634_399.0),
        ("2024-02-29T00:00:00Z", 1_709_164_800.0),
    ])
    func parsesRFC3339(text: String, seconds: Double) {
        #expect(Timestamp.parse(text)?.timeIntervalSince1970 == seconds)
    }

    @Test(arguments: ["2026-03-08", "2026-03-08T20:30:00", "2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-03-08T25:00:00Z", "yesterday", "2026-03-08T20:30:00-0500", "2026-03-08T20:30:00Zjunk"])
    func rejectsWhatIsNotATimeWithAnOffset(text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    @Test func formatsAgreeWithFoundation() {
        for seconds in stride(from: -86_400.0 * 400, to: 86_400.0 * 365 * 80, by: 86_400.0 * 37.3) {
            let date = Date(timeIntervalSince1970: seconds.rounded())
            let foundation = ISO8601DateFormatter()
            #expect(Timestamp.format(date) == foundation.string(from: date).replacingOccurrences(of: "Z", with: ".000Z"))
            #expect(Timestamp.parse(Timestamp.format(date)) == date)
        }
        let date = Date(timeIntervalSince1970: 1_773_019_800.123)
        #expect(Timestamp.fileStamp(date) == "20260309T013000123Z")
        #expect(Timestamp.format(date, in: TimeZone(identifier: "America/Chicago")!) == "2026-03-08T20:30:00-05:00")
        #expect(Timestamp.format(date, in: TimeZone(identifier: "Asia/Kolkata")!) == "2026-03-09T07:00:00+05:30")
    }
}
