import Foundation

/// The time formats of the mailbox format: RFC 3339 with an explicit
/// offset in files, and a compact UTC stamp that sorts in file names.
/// Parsed and printed by hand: Foundation's formatters cost tens of
/// microseconds each on Linux, and every message file carries a time.
public enum Timestamp {
    /// Parses `2026-03-08T20:30:00-05:00`, `2026-03-08T20:30:00.250Z`,
    /// `2026-03-08 20:30:00Z` and the like; nil for anything else.
    public static func parse(_ text: String) -> Date? {
        let isBlank = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        let bytes = Array(text.utf8.drop(while: isBlank).reversed().drop(while: isBlank).reversed())
        var index = 0
        func number(_ digits: Int) -> Int? {
            guard index + digits <= bytes.count else { return nil }
            var value = 0
            for _ in 0..<digits {
                let byte = bytes[index]
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
                index += 1
            }
            return value
        }
        func expect(_ characters: String) -> Bool {
            guard index < bytes.count, characters.utf8.contains(bytes[index]) else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
              expect("Tt "), let hour = number(2), expect(":"), let minute = number(2), expect(":"), let second = number(2),
              (1...12).contains(month), (1...daysIn(month, year)).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var fraction = 0.0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            let start = index
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                fraction += Double(bytes[index] - 48) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        var offset = 0
        if expect("Zz") {
            offset = 0
        } else if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            index += 1
            guard let hours = number(2), expect(":"), let minutes = number(2), hours < 24, minutes < 60 else { return nil }
            offset = sign * (hours * 3600 + minutes * 60)
        } else {
            return nil
        }
        guard index == bytes.count else { return nil }
        let days = daysFromCivil(year, month, day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    /// The earliest time a record may carry: 2000-01-01T00:00:00Z.
    public static let earliestRecordTime = Date(timeIntervalSince1970: 946_684_800)

    /// Whether a time given by a gateway or on the command line can be a
    /// message's: from 2000 until a day after `now` (clocks drift, calendars
    /// do not). Anything else is refused before it reaches a file name.
    public static func isPlausibleRecordTime(_ date: Date, now: Date) -> Bool {
        date >= earliestRecordTime && date <= now.addingTimeInterval(86_400)
    }

    /// `2026-03-09T01:30:00.000Z`: UTC, milliseconds, the form written into files.
    public static func format(_ date: Date) -> String {
        let parts = utcParts(date)
        return "\(pad(parts.year, 4))-\(pad(parts.month))-\(pad(parts.day))T\(pad(parts.hour)):\(pad(parts.minute)):\(pad(parts.second))."
            + "\(pad(parts.millisecond, 3))Z"
    }

    /// `value` in decimal with leading zeros to `width` digits (what `%0Nd` does, without `String(format:)`'s cost).
    static func pad(_ value: Int, _ width: Int = 2) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// `2026-03-08T20:30:00-05:00`: local time in `zone` with its offset.
    public static func format(_ date: Date, in zone: TimeZone) -> String {
        let offset = zone.secondsFromGMT(for: date)
        let parts = utcParts(date.addingTimeInterval(TimeInterval(offset)))
        let sign = offset < 0 ? "-" : "+"
        let zoneText = offset == 0 ? "Z" : "\(sign)\(pad(abs(offset) / 3600)):\(pad(abs(offset) % 3600 / 60))"
        return "\(pad(parts.year, 4))-\(pad(parts.month))-\(pad(parts.day))T\(pad(parts.hour)):\(pad(parts.minute)):\(pad(parts.second))" + zoneText
    }

    /// `20260309T013000123Z`: a UTC stamp to the millisecond that sorts as
    /// text, used at the start of file names.
    public static func fileStamp(_ date: Date) -> String {
        let parts = utcParts(date)
        let day = "\(pad(parts.year, 4))\(pad(parts.month))\(pad(parts.day))"
        return "\(day)T\(pad(parts.hour))\(pad(parts.minute))\(pad(parts.second))\(pad(parts.millisecond, 3))Z"
    }

    private struct Parts {
        let year, month, day, hour, minute, second, millisecond: Int
    }

    private static func utcParts(_ date: Date) -> Parts {
        // Inputs are validated before they get here; the clamp keeps even a
        // missed one from trapping (years 0001–9999).
        let scaled = (date.timeIntervalSince1970 * 1000).rounded(.down)
        let totalMilliseconds = scaled.isNaN ? 0 : Int(min(max(scaled, -62_135_596_800_000), 253_402_300_799_999))
        var days = totalMilliseconds / 86_400_000
        var milliseconds = totalMilliseconds % 86_400_000
        if milliseconds < 0 {
            milliseconds += 86_400_000
            days -= 1
        }
        let (year, month, day) = civilFromDays(days)
        let seconds = milliseconds / 1000
        return Parts(year: year, month: month, day: day, hour: seconds / 3600, minute: seconds % 3600 / 60, second: seconds % 60,
            millisecond: milliseconds % 1000)
    }

    private static func daysIn(_ month: Int, _ year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civilFromDays(_ days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
