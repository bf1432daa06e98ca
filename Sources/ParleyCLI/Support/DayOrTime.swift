import Foundation
import ParleyCore

/// A day (YYYY-MM-DD, midnight in `zone`) or an ISO 8601 time with an
/// offset, as `--since` and `--until` take them.
enum DayOrTime {
    static func parse(_ text: String, option: String, zone: TimeZone) throws(ParleyError) -> Date {
        if let time = Timestamp.parse(text) { return time }
        let parts = text.split(separator: "-").compactMap { Int($0) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        if parts.count == 3, (1...12).contains(parts[1]), (1...31).contains(parts[2]),
           let date = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2])) { return date }
        throw .invalidInput("\(option) '\(text)' is neither a day (2026-03-01) nor an ISO 8601 time with an offset")
    }

    /// `--since` and `--until` read together: each optional, the second after the first.
    static func period(since: String?, until: String?, zone: TimeZone) throws(ParleyError) -> (since: Date?, until: Date?) {
        let start = try since.map { text throws(ParleyError) in try parse(text, option: "--since", zone: zone) }
        let end = try until.map { text throws(ParleyError) in try parse(text, option: "--until", zone: zone) }
        if let start, let end, end <= start { throw .invalidInput("--until must be after --since") }
        return (start, end)
    }
}
