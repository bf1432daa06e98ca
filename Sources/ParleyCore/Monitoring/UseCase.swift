import Foundation

/// Why a business texts a customer (appointments, sales, events, support),
/// with the service targets the team promises for it and the outcomes a
/// conversation of that kind can end with. Configured in `parley.yaml`.
public struct UseCase: Equatable, Sendable {
    public let name: String
    /// Longest first reply of a conversation, in business seconds.
    public let firstResponse: TimeInterval?
    /// Longest later reply, in business seconds.
    public let response: TimeInterval?
    /// Longest time from a conversation's start to its close, in business seconds.
    public let resolution: TimeInterval?
    /// What a closed conversation of this kind came to, e.g. confirmed, no-show.
    public let outcomes: [String]

    public init(name: String, firstResponse: TimeInterval?, response: TimeInterval?, resolution: TimeInterval?, outcomes: [String]) {
        self.name = name
        self.firstResponse = firstResponse
        self.response = response
        self.resolution = resolution
        self.outcomes = outcomes
    }

    /// The four a new mailbox starts with.
    public static let defaults = [
        UseCase(name: "appointments", firstResponse: 15 * 60, response: 3600, resolution: 8 * 3600,
                outcomes: ["confirmed", "rescheduled", "cancelled", "attended", "no-show"]),
        UseCase(name: "sales", firstResponse: 3600, response: 4 * 3600, resolution: 40 * 3600, outcomes: ["won", "lost"]),
        UseCase(name: "events", firstResponse: 30 * 60, response: 2 * 3600, resolution: 16 * 3600,
                outcomes: ["attending", "declined", "attended", "no-show"]),
        UseCase(name: "support", firstResponse: 3600, response: 2 * 3600, resolution: 16 * 3600,
                outcomes: ["resolved", "unresolved", "escalated"]),
    ]

    /// Reads `use_cases`, a list of `name`, the three targets ("15m", "1h",
    /// "2h30m": business time) and `outcomes`.
    static func parseList(_ items: [YAMLFields], present: Bool) throws(ParleyError) -> [UseCase] {
        guard present else { return defaults }
        var useCases: [UseCase] = []
        for item in items {
            let name = try item.string("name")
            guard Agent.isValidHandle(name) else { throw item.problem("name",
                "'\(name)' is not a usable use-case name: use letters, digits, '.', '_' or '-'") }
            guard !useCases.contains(where: { $0.name == name }) else { throw item.problem("name", "use case '\(name)' is listed twice") }
            let outcomes = try item.stringList("outcomes")
            if let bad = outcomes.first(where: { !Agent.isValidHandle($0) }) {
                throw item.problem("outcomes", "'\(bad)' is not a usable outcome: use letters, digits, '.', '_' or '-'")
            }
            useCases.append(UseCase(
                name: name, firstResponse: try target(item, "first_response"), response: try target(item, "response"),
                resolution: try target(item, "resolution"), outcomes: outcomes))
        }
        return useCases
    }

    private static func target(_ fields: YAMLFields, _ key: String) throws(ParleyError) -> TimeInterval? {
        guard let text = try fields.optionalString(key) else { return nil }
        guard let seconds = duration(text) else {
            throw fields.problem(key, "'\(text)' is not a duration: write minutes or hours of business time such as 15m, 4h or 2h30m")
        }
        return seconds
    }

    /// "15m", "4h", "2h30m", "7d" as seconds; nil otherwise.
    static func duration(_ text: String) -> TimeInterval? {
        var total = 0.0, digits = "", sawUnit = false
        for character in text.trimmingCharacters(in: .whitespaces) {
            if character.isASCII, character.isNumber { digits.append(character); continue }
            guard let value = Double(digits), let unit = ["d": 86_400.0, "h": 3600.0, "m": 60.0][character.lowercased().first!] else { return nil }
            total += value * unit
            digits = ""
            sawUnit = true
        }
        return sawUnit && digits.isEmpty && total > 0 ? total : nil
    }

    /// A duration as `parley.yaml` writes it: "15m", "4h", "2h30m", "7d".
    public static func durationText(_ seconds: TimeInterval) -> String {
        let minutes = Int(seconds / 60), hours = minutes / 60, rest = minutes % 60
        if minutes >= 2880, minutes % 1440 == 0 { return "\(minutes / 1440)d" }
        if hours == 0 { return "\(minutes)m" }
        return rest == 0 ? "\(hours)h" : "\(hours)h\(rest)m"
    }

    static func write(_ useCases: [UseCase], into yaml: inout YAMLWriter) {
        yaml.comment("why the business texts, each with its service targets in business time and the")
        yaml.comment("outcomes a conversation can close with ('parley close NUMBER --outcome X')")
        yaml.mappingList("use_cases", flowItems: useCases.map { useCase in
            [("name", [useCase.name]), ("first_response", useCase.firstResponse.map { [durationText($0)] }),
             ("response", useCase.response.map { [durationText($0)] }), ("resolution", useCase.resolution.map { [durationText($0)] }),
             ("outcomes", useCase.outcomes.isEmpty ? nil : useCase.outcomes)]
        })
    }
}
