import Foundation

/// How long a mailbox keeps what it stores (`parley.yaml`, `retention:`):
/// messages for so long after they were sent or received, and a number's
/// consent records—with its contact file and everything else in its
/// conversation—for so long after the last message to or from it.
/// `parley retention` lists what is past its time; `--apply` erases it.
public struct RetentionPolicy: Equatable, Sendable {
    /// A calendar period: "7y", "18mo", "90d".
    public struct Period: Equatable, Sendable, CustomStringConvertible {
        public let value: Int
        public let unit: Calendar.Component

        public init?(_ text: String) {
            let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
            let units: [(String, Calendar.Component)] = [("mo", .month), ("y", .year), ("d", .day)]
            guard let (suffix, unit) = units.first(where: { trimmed.hasSuffix($0.0) }),
                  let value = Int(trimmed.dropLast(suffix.count)), value > 0, value <= 100_000 else { return nil }
            self.value = value
            self.unit = unit
        }

        public var description: String { "\(value)\(unit == .year ? "y" : unit == .month ? "mo" : "d")" }

        /// The moment `now` minus this period (calendar arithmetic in UTC).
        public func before(_ now: Date) -> Date {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            return calendar.date(byAdding: unit, value: -value, to: now) ?? .distantPast
        }
    }

    /// Messages (with their receipts) older than this are past their time.
    public var messages: Period?
    /// A conversation whose last message is older than this is past its
    /// time as a whole: consent records, contact, everything.
    public var consent: Period?

    public init(messages: Period? = nil, consent: Period? = nil) {
        self.messages = messages
        self.consent = consent
    }

    /// What `parley init` writes: seven years of messages, consent kept five years after the last message.
    public static let recommended = RetentionPolicy(messages: Period("7y"), consent: Period("5y"))

    static func parse(_ fields: YAMLFields?) throws(ParleyError) -> RetentionPolicy {
        guard let fields else { return RetentionPolicy() }
        func period(_ key: String) throws(ParleyError) -> Period? {
            guard let text = try fields.optionalString(key) else { return nil }
            guard let period = Period(text) else { throw fields.problem(key, "'\(text)' is not a period: write e.g. 7y, 18mo or 90d") }
            return period
        }
        return RetentionPolicy(messages: try period("messages"), consent: try period("consent"))
    }

    func write(into yaml: inout YAMLWriter) {
        guard messages != nil || consent != nil else { return }
        yaml.mapping("retention") { section in
            section.comment("how long records are kept; parley retention lists what is past its time, --apply erases it")
            section.field("messages", messages?.description)
            section.comment("a number's consent records, contact and conversation, after its last message")
            section.field("consent", consent?.description)
        }
    }
}
