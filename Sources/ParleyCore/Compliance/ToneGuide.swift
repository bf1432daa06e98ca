import Foundation

/// `tone.md`: prose for people, and in its front matter the machine rules
/// `parley lint` and the send gate check.
public struct ToneGuide: Equatable, Sendable {
    public enum Level: String, Sendable, Codable {
        case error, warning
    }

    public enum EmojiPolicy: String, Sendable {
        case allow, warn, forbid
    }

    public var bannedPhrases: [String] = []
    public var bannedPhrasesLevel: Level = .error
    /// A Mustache line every message should end with, e.g. `- {{business_name}}`.
    public var signOff: String?
    public var signOffLevel: Level = .warning
    public var maxSegments: Int?
    public var maxAllCapsWords: Int?
    public var linkShorteners: [String] = []
    public var linkShortenersLevel: Level = .error
    public var emoji: EmojiPolicy = .allow
    public var preferGSM7 = false

    public init() {}

    public static func parse(_ data: Data, path: String = MailboxLayout.toneGuide) throws(ParleyError) -> ToneGuide {
        let document = try FrontMatterDocument.parse(data, path: path)
        var guide = ToneGuide()
        guard let rules = try document.fields.nested("rules") else { return guide }
        guide.bannedPhrases = try rules.stringList("banned_phrases")
        guide.bannedPhrasesLevel = try level(rules, "banned_phrases_level") ?? .error
        guide.signOff = try rules.optionalString("sign_off")
        guide.signOffLevel = try level(rules, "sign_off_level") ?? .warning
        guide.maxSegments = try rules.int("max_segments")
        guide.maxAllCapsWords = try rules.int("max_all_caps_words")
        guide.linkShorteners = try rules.stringList("link_shorteners").map { $0.lowercased() }
        guide.linkShortenersLevel = try level(rules, "link_shorteners_level") ?? .error
        if let emoji = try rules.optionalString("emoji") {
            guard let policy = EmojiPolicy(rawValue: emoji) else { throw rules.problem("emoji",
                "'emoji' must be allow, warn or forbid, not '\(emoji)'") }
            guide.emoji = policy
        }
        guide.preferGSM7 = try rules.bool("prefer_gsm7") ?? false
        return guide
    }

    private static func level(_ fields: YAMLFields, _ key: String) throws(ParleyError) -> Level? {
        guard let text = try fields.optionalString(key) else { return nil }
        guard let level = Level(rawValue: text) else { throw fields.problem(key, "'\(key)' must be error or warning, not '\(text)'") }
        return level
    }
}
