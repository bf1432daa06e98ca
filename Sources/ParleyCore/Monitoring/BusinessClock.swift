import Foundation

/// Measures time the way service targets count it: only the minutes the
/// business is open (`BusinessHours`) in its own zone, across weekends,
/// closed dates and daylight-saving changes. A report measures hundreds of
/// thousands of waits, so each local day's openings are worked out once, as
/// absolute instants, and kept.
///
/// Not thread-safe: one clock per report or per inbox listing.
public final class BusinessClock {
    public let hours: BusinessHours
    public let zone: TimeZone
    /// A local day's openings as absolute seconds since 1970, by day number.
    private var openingsByDay: [Int: [(start: Double, end: Double)]] = [:]
    /// The zone's offset by quarter hour since 1970: asking the zone (ICU)
    /// costs microseconds, and a report asks millions of times. Offsets
    /// change only on quarter hours, so a quarter hour has one offset.
    private var offsetByQuarterHour: [Int: Double] = [:]

    public init(hours: BusinessHours, zone: TimeZone) {
        self.hours = hours
        self.zone = zone
    }

    /// The mailbox's opening hours in its zone.
    public convenience init(for config: MailboxConfig) {
        self.init(hours: config.monitoring.businessHours, zone: TimeZone(identifier: config.timeZone) ?? TimeZone(identifier: "UTC")!)
    }

    /// Open seconds between two instants; zero when `end` is not after `start`.
    public func duration(from start: Date, to end: Date) -> TimeInterval {
        let from = start.timeIntervalSince1970, to = end.timeIntervalSince1970
        guard to > from, from.isFinite, to.isFinite else { return 0 }
        var total = 0.0
        var day = localDay(of: from)
        // Each local day starts at most 26 hours after the previous one's start.
        while instant(localSeconds: Double(day) * 86_400) < to {
            for opening in openings(onDay: day) {
                total += max(0, min(to, opening.end) - max(from, opening.start))
            }
            day += 1
        }
        return total
    }

    /// Whether the business is open at `time`.
    public func isOpen(at time: Date) -> Bool {
        let seconds = time.timeIntervalSince1970
        return openings(onDay: localDay(of: seconds)).contains { $0.start <= seconds && seconds < $0.end }
    }

    /// The local calendar day (days since 1970-01-01 in the zone) of an instant.
    public func localDay(of seconds: Double) -> Int {
        Int(((seconds + offset(at: seconds)) / 86_400).rounded(.down))
    }

    /// Seconds the zone is ahead of UTC at an instant.
    public func offset(at seconds: Double) -> Double {
        let quarter = Int((seconds / 900).rounded(.down))
        if let known = offsetByQuarterHour[quarter] { return known }
        let offset = Double(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(quarter) * 900)))
        offsetByQuarterHour[quarter] = offset
        return offset
    }

    /// The local weekday of a day number, Sunday = 0 (1970-01-01 was a Thursday).
    package static func weekday(ofDay day: Int) -> Int { ((day + 4) % 7 + 7) % 7 }

    private func openings(onDay day: Int) -> [(start: Double, end: Double)] {
        if let known = openingsByDay[day] { return known }
        var result: [(start: Double, end: Double)] = []
        if !hours.closedDays.contains(day) {
            let midnight = Double(day) * 86_400
            for opening in hours.week[Self.weekday(ofDay: day)] {
                result.append((instant(localSeconds: midnight + Double(opening.start) * 60),
                               instant(localSeconds: midnight + Double(opening.end) * 60)))
            }
        }
        openingsByDay[day] = result
        return result
    }

    /// The instant a local wall-clock time (seconds since 1970 as if the zone
    /// were UTC) names. Two steps settle the offset either side of a
    /// daylight-saving change; a time skipped in spring lands an hour later.
    static func instant(localSeconds local: Double, in zone: TimeZone) -> Double {
        let guess = local - Double(zone.secondsFromGMT(for: Date(timeIntervalSince1970: local)))
        return local - Double(zone.secondsFromGMT(for: Date(timeIntervalSince1970: guess)))
    }

    private func instant(localSeconds local: Double) -> Double {
        let guess = local - offset(at: local)
        return local - offset(at: guess)
    }
}
