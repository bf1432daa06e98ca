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
        (year, month, day) = Timestamp.civilFromDays(days)
    }

    private static func floorDivision(_ value: Int, _ divisor: Int) -> (quotient: Int, remainder: Int) {
        let remainder = (value % divisor + divisor) % divisor
        return ((value - remainder) / divisor, remainder)
    }
}
