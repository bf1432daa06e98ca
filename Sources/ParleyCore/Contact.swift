import Foundation

/// Facts about a customer that people edit by hand: a small Markdown file
/// with front matter (name, time zone, state) and free-form notes.
public struct Contact: Equatable, Sendable, Codable {
    public var number: PhoneNumber
    public var name: String?
    /// IANA time zone, e.g. `America/Chicago`.
    public var timeZone: String?
    /// US state or Canadian province code, for quiet-hour rules.
    public var state: String?
    /// What kind of line the number is, from a provider's lookup before the first text.
    public var lineType: LineType?
    /// When it was looked up, and by which lookup (with the carrier it named).
    public var lineTypeCheckedAt: Date?
    public var lineTypeSource: String?
    public var notes: String

    public init(number: PhoneNumber, name: String? = nil, timeZone: String? = nil, state: String? = nil, notes: String = "") {
        self.number = number
        self.name = name
        self.timeZone = timeZone
        self.state = state
        self.notes = notes
    }

    /// The name if known, else the formatted number.
    public var displayName: String { name ?? number.formatted }

    public func fileData() -> Data {
        var yaml = YAMLWriter()
        yaml.field("number", number.e164)
        yaml.field("name", name)
        yaml.field("timezone", timeZone)
        yaml.field("state", state)
        yaml.field("line_type", lineType?.rawValue)
        yaml.field("line_type_checked", lineTypeCheckedAt)
        yaml.field("line_type_source", lineTypeSource)
        return FrontMatterDocument.render(yaml, body: notes)
    }

    public static func parse(_ data: Data, path: String) throws(ParleyError) -> Contact {
        let document = try FrontMatterDocument.parse(data, path: path)
        let fields = document.fields
        let zone = try fields.optionalString("timezone")
        if let zone, TimeZone(identifier: zone) == nil {
            throw fields.problem("timezone", "unknown time zone '\(zone)': use an IANA name such as America/Chicago")
        }
        let state = try fields.optionalString("state")?.uppercased()
        if let state, state.count != 2 || !state.allSatisfy(\.isLetter) {
            throw fields.problem("state", "'state' must be a two-letter code such as IL, not '\(state)'")
        }
        var contact = Contact(
            number: try fields.phone("number"), name: try fields.optionalString("name"),
            timeZone: zone, state: state, notes: document.body)
        contact.lineType = try fields.optionalChoice("line_type", of: LineType.self)
        contact.lineTypeCheckedAt = try fields.optionalDate("line_type_checked")
        contact.lineTypeSource = try fields.optionalString("line_type_source")
        return contact
    }

    /// Checks a time zone name typed by a person.
    public static func validatedTimeZone(_ zone: String) throws(ParleyError) -> String {
        guard TimeZone(identifier: zone) != nil else {
            throw .invalidInput("unknown time zone '\(zone)': use an IANA name such as America/Chicago or Europe/London")
        }
        return zone
    }
}
