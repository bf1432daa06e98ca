import ArgumentParser
import Foundation
import ParleyCore

/// A day (YYYY-MM-DD, midnight in a zone the command knows) or an ISO 8601
/// time with an offset, as `--since` and `--until` take them. Parsed by
/// ArgumentParser; a day becomes a time only once the zone is known.
enum DayOrTime: ExpressibleByArgument, Sendable, Equatable {
    case time(Date)
    case day(year: Int, month: Int, day: Int)
    /// Kept so that `validate()` can say which option was wrong and how.
    case unreadable(String)

    init(argument: String) {
        if let time = Timestamp.parse(argument) {
            self = .time(time)
            return
        }
        let parts = argument.split(separator: "-", omittingEmptySubsequences: false).compactMap { Int($0) }
        guard parts.count == 3, (1...12).contains(parts[1]), (1...31).contains(parts[2]) else {
            self = .unreadable(argument)
            return
        }
        self = .day(year: parts[0], month: parts[1], day: parts[2])
    }

    /// Refuses what is neither a day nor a time, naming the option.
    func validate(_ option: String) throws {
        if case .unreadable(let text) = self {
            throw ValidationError("\(option) '\(text)' is neither a day (2026-03-01) nor an ISO 8601 time with an offset")
        }
    }

    /// The moment it names: a day starts at midnight in `zone`.
    func date(in zone: TimeZone) -> Date {
        switch self {
        case .time(let time):
            return time
        case .day(let year, let month, let day):
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            return calendar.date(from: DateComponents(year: year, month: month, day: day)) ?? .distantPast
        case .unreadable:
            preconditionFailure("an unreadable --since or --until passes validate() only by a programmer's mistake")
        }
    }
}

/// `--since` and `--until`, shared by the commands that read a period of
/// the history: each optional, the second after the first, a day read in
/// the business's zone.
struct PeriodOptions: ParsableArguments {
    @Option(help: ArgumentHelp("From this day (YYYY-MM-DD, in the business's time zone) or time (ISO 8601) on.", valueName: "date"))
    var since: DayOrTime?

    @Option(help: ArgumentHelp("Up to, not including, this day or time.", valueName: "date")) var until: DayOrTime?

    func validate() throws {
        try since?.validate("--since")
        try until?.validate("--until")
    }

    /// The period, a day read in the business's zone (`parley.yaml`'s `time_zone`).
    func period(of mailbox: Mailbox) throws(ParleyError) -> (since: Date?, until: Date?) {
        try period(in: TimeZone(identifier: mailbox.config.timeZone) ?? .current)
    }

    /// The period in `zone`; refuses an end that is not after the start.
    func period(in zone: TimeZone) throws(ParleyError) -> (since: Date?, until: Date?) {
        let start = since?.date(in: zone), end = until?.date(in: zone)
        if let start, let end, end <= start { throw .invalidInput("--until must be after --since") }
        return (start, end)
    }
}
