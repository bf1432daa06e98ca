import Foundation

/// The wall-clock date and time of an instant in a time zone, by
/// arithmetic on the zone's offset at that instant: what quiet hours ask
/// of every send. A `Calendar` per zone answered the same, at a cost the
/// audit paid on every text ever sent.
struct LocalTime {
    let year, month, day: Int
    /// 1 for Sunday through 7 for Saturday, as `Calendar` numbers weekdays.
    let weekday: Int
    /// Minutes since local midnight.
    let minuteOfDay: Int

    init(_ time: Date, in zone: TimeZone) {
        let seconds = Int(time.timeIntervalSince1970.rounded(.down)) + zone.secondsFromGMT(for: time)
        let (days, secondOfDay) = Self.floorDivision(seconds, 86_400)
        minuteOfDay = secondOfDay / 60
        weekday = (Self.floorDivision(days + 4, 7).remainder) + 1  // 1970-01-01 was a Thursday.
        (year, month, day) = Self.civilDate(daysSince1970: days)
    }

    private static func floorDivision(_ value: Int, _ divisor: Int) -> (quotient: Int, remainder: Int) {
        let remainder = (value % divisor + divisor) % divisor
        return ((value - remainder) / divisor, remainder)
    }

    /// The proleptic Gregorian date of a day count (Howard Hinnant's `civil_from_days`).
    private static func civilDate(daysSince1970 days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468  // Days since 0000-03-01.
        let era = floorDivision(shifted, 146_097).quotient
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
