import Foundation

/// When the business answers texts: opening hours per weekday in the
/// business's time zone, and the dates it is closed. Response targets are
/// measured against these hours (`BusinessClock`), so a text that arrives at
/// 20:59 and is answered at 08:05 the next morning waited five business
/// minutes, not eleven hours.
public struct BusinessHours: Equatable, Sendable {
    /// One opening on a day, in minutes after local midnight (end ≤ 24:00).
    public struct Opening: Equatable, Sendable {
        public let start, end: Int

        public init(start: Int, end: Int) {
            self.start = start
            self.end = end
        }

        var text: String { "\(Self.clock(start))-\(Self.clock(end))" }

        static func clock(_ minutes: Int) -> String {
            let hours = minutes / 60, rest = minutes % 60
            return (hours < 10 ? "0\(hours)" : "\(hours)") + ":" + (rest < 10 ? "0\(rest)" : "\(rest)")
        }
    }

    /// The week's names as `parley.yaml` spells them, Sunday first (as `week`).
    public static let dayNames = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]

    /// Openings per weekday, Sunday first; an empty day is closed.
    public var week: [[Opening]]
    /// Days the business is closed, as days since 1970-01-01 in its zone.
    public var closedDays: Set<Int>

    public init(week: [[Opening]], closedDays: Set<Int> = []) {
        precondition(week.count == 7, "a week has seven days")
        self.week = week
        self.closedDays = closedDays
    }

    /// Monday to Friday, 09:00–17:00: what a mailbox without the section gets.
    public static let standard = BusinessHours(week: (0..<7).map { day in
        (1...5).contains(day) ? [Opening(start: 9 * 60, end: 17 * 60)] : []
    })

    /// Reads the `business_hours` section: a line per open weekday such as
    /// `monday: "08:00-12:00, 13:00-17:00"` (a day left out, or `closed`, is
    /// closed) and `closed_dates`, a list of YYYY-MM-DD.
    static func parse(_ fields: YAMLFields?) throws(ParleyError) -> BusinessHours {
        guard let fields else { return .standard }
        var week: [[Opening]] = Array(repeating: [], count: 7)
        for key in fields.keys where key != "closed_dates" {
            guard let day = dayNames.firstIndex(of: key) else {
                throw fields.problem(key, "'\(key)' is not a weekday: use monday … sunday, or closed_dates")
            }
            let text = try fields.optionalString(key) ?? "closed"
            guard let openings = openings(text) else {
                throw fields.problem(key,
                    "'\(text)' is not opening hours: write them as \"08:00-17:00\", several as \"08:00-12:00, 13:00-17:00\", or closed")
            }
            week[day] = openings
        }
        var closed = Set<Int>()
        for text in try fields.stringList("closed_dates") {
            guard let day = Self.day(text) else { throw fields.problem("closed_dates", "'\(text)' is not a date: write YYYY-MM-DD") }
            closed.insert(day)
        }
        return BusinessHours(week: week, closedDays: closed)
    }

    /// "08:00-12:00, 13:00-17:00" as openings in order; nil when malformed or overlapping.
    static func openings(_ text: String) -> [Opening]? {
        if text.lowercased() == "closed" { return [] }
        var openings: [Opening] = []
        for part in text.split(separator: ",") {
            let ends = part.split(separator: "-").map { $0.trimmingCharacters(in: .whitespaces) }
            guard ends.count == 2, let start = minutes(ends[0]), let end = minutes(ends[1]), start < end,
                  start >= (openings.last?.end ?? 0) else { return nil }
            openings.append(Opening(start: start, end: end))
        }
        return openings.isEmpty ? nil : openings
    }

    /// "HH:MM" (00:00–24:00) as minutes after midnight.
    private static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts[1].count == 2, let hours = Int(parts[0]), let minutes = Int(parts[1]),
              (0...24).contains(hours), (0..<60).contains(minutes), hours * 60 + minutes <= 24 * 60 else { return nil }
        return hours * 60 + minutes
    }

    /// "YYYY-MM-DD" as days since 1970-01-01; nil when it is no calendar date.
    public static func day(_ text: String) -> Int? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]), (1...12).contains(month), day >= 1 else { return nil }
        let days = Timestamp.daysFromCivil(year, month, day)
        // 2026-02-30 comes back as another date: refuse it.
        return Timestamp.civilFromDays(days) == (year, month, day) ? days : nil
    }

    /// A day number as "YYYY-MM-DD".
    package static func dateText(_ day: Int) -> String {
        let (year, month, date) = Timestamp.civilFromDays(day)
        return "\(year)-" + Timestamp.pad(month) + "-" + Timestamp.pad(date)
    }

    func write(into yaml: inout YAMLWriter) {
        yaml.mapping("business_hours") { section in
            section.comment("opening hours per weekday in the business time zone, e.g. \"08:00-12:00, 13:00-17:00\";")
            section.comment("a day not listed is closed. Response targets count only these hours.")
            for day in [1, 2, 3, 4, 5, 6, 0] where !week[day].isEmpty {
                section.field(Self.dayNames[day], week[day].map(\.text).joined(separator: ", "))
            }
            section.comment("public holidays and other days the business is closed (YYYY-MM-DD)")
            section.flowList("closed_dates", closedDays.sorted().map(Self.dateText))
        }
    }
}
