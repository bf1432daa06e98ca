import Foundation

/// A pattern of `parley.yaml`'s `redact:` list: more kinds of number a
/// business never wants in Git (a member id, a chart number). Inbound, a
/// match is replaced by "[LABEL removed]"; outbound, a message holding one
/// is refused, like a card number.
public struct RedactionPattern: Equatable, Sendable {
    /// What the message file's `redacted:` list records.
    public let name: String
    /// A regular expression (ICU syntax, as NSRegularExpression reads it).
    public let pattern: String
    /// Said in the replacement: "[member ID removed]".
    public let label: String

    public init(name: String, pattern: String, label: String) throws(ParleyError) {
        guard (try? NSRegularExpression(pattern: pattern)) != nil else {
            throw .invalidInput("'\(pattern)' is not a regular expression")
        }
        self.name = name
        self.pattern = pattern
        self.label = label
    }

    /// The ranges it matches, empty ones left out.
    func matches(in text: String) -> [Range<String.Index>] {
        guard let expression = try? NSRegularExpression(pattern: pattern) else { return [] }
        return expression.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { Range($0.range, in: text) }
            .filter { !$0.isEmpty }
    }

    static func parseList(_ items: [YAMLFields]) throws(ParleyError) -> [RedactionPattern] {
        try items.map { item throws(ParleyError) in
            let name = try item.string("name")
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
                throw item.problem("name", "a redaction's name is letters, digits, '_' and '-'")
            }
            do {
                return try RedactionPattern(name: name, pattern: item.string("pattern"), label: try item.optionalString("label") ?? name)
            } catch {
                throw item.problem("pattern", "\(error)")
            }
        }
    }
}
