import Foundation

/// Classifies an inbound message the way carriers and the FCC expect:
/// the opt-out, opt-in and help keywords match the whole message, ignoring
/// case, spacing and punctuation ("Stop", " STOP. "); a message a
/// reasonable person would read as a revocation ("please stop texting me")
/// is flagged for a person to review; anything else is an ordinary reply.
public struct KeywordClassifier: Sendable {
    public enum Kind: String, Sendable, Codable {
        case optOut = "opt-out"
        case optIn = "opt-in"
        case help
        /// Reads like "stop contacting me" without being a keyword.
        case possibleRevocation = "possible-revocation"
    }

    public static let optOutKeywords: Set<String> = ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"]
    public static let optInKeywords: Set<String> = ["START", "YES", "UNSTOP"]
    public static let helpKeywords: Set<String> = ["HELP", "INFO"]

    /// Phrases that, anywhere in a message, read as a wish to stop messages.
    public static let defaultRevocationPhrases = [
        "stop texting", "stop messaging", "stop sending", "stop contacting", "stop calling", "stop the texts",
        "stop these texts", "stop the messages", "stop these messages", "remove me", "take me off", "unsubscribe me",
        "don't text", "dont text", "do not text", "don't message", "do not message", "do not contact", "don't contact",
        "no more texts", "no more messages", "leave me alone", "opt me out", "opt out", "wrong number", "lose my number",
    ]

    public let revocationPhrases: [String]

    public init(extraRevocationPhrases: [String] = []) {
        revocationPhrases = Self.defaultRevocationPhrases + extraRevocationPhrases.map { $0.lowercased() }
    }

    public func classify(_ body: String) -> Kind? {
        let word = Self.normalizedKeyword(body)
        if Self.optOutKeywords.contains(word) { return .optOut }
        if Self.optInKeywords.contains(word) { return .optIn }
        if Self.helpKeywords.contains(word) { return .help }
        let text = " " + Self.normalizedText(body) + " "
        if revocationPhrases.contains(where: { text.contains(" " + $0 + " ") || text.contains(" " + $0 + ",") }) {
            return .possibleRevocation
        }
        return nil
    }

    /// The message as one keyword: letters only, upper-cased; "Opt-out!" → "OPTOUT".
    static func normalizedKeyword(_ body: String) -> String {
        let trimmed = body.trimmingCharacters(in: .whitespacesAndNewlines.union(.punctuationCharacters).union(.symbols))
        guard trimmed.count <= 16, !trimmed.contains(where: { $0.isWhitespace && $0 != " " }) else { return "" }
        let compact = trimmed.filter { $0.isLetter || $0 == "-" || $0 == " " }
        // "opt out", "opt-out" and "stop all" are the same keyword to a person
        let joined = compact.replacingOccurrences(of: "-", with: "").replacingOccurrences(of: " ", with: "")
        guard joined.count == compact.filter({ $0 != "-" && $0 != " " }).count else { return "" }
        return joined.uppercased()
    }

    /// Lower-cased words separated by single spaces, punctuation other than apostrophes removed.
    static func normalizedText(_ body: String) -> String {
        let mapped = body.lowercased().map { character -> Character in
            if character == "’" { return "'" }
            return character.isLetter || character.isNumber || character == "'" ? character : " "
        }
        return String(mapped).split(separator: " ").joined(separator: " ")
    }
}
