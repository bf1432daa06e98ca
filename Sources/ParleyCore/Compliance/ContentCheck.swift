import Foundation

/// What the carriers' content filters look for in a business text
/// (CTIA Messaging Principles and Best Practices; each carrier's 10DLC
/// code of conduct): links through a public shortener, restricted (SHAFT)
/// content outside a campaign that declares it, and a sign-off naming a
/// business other than the sender. The gate's `content` rule and
/// `parley lint` both ask it: the checks exist once.
public struct ContentCheck: Sendable {
    /// Public shorteners carriers filter, beyond those the tone guide lists.
    public static let publicShorteners = [
        "bit.ly", "bitly.com", "tinyurl.com", "goo.gl", "t.co", "ow.ly", "is.gd", "buff.ly", "rebrand.ly", "cutt.ly", "shorturl.at",
        "tiny.cc", "rb.gy", "bl.ink", "t.ly", "v.gd", "s.id", "short.io", "lnkd.in", "qrco.de",
    ]

    public let policy: ContentPolicy
    public let shorteners: [String]
    public let words: ContentWords
    public let businessName: String
    /// The words of agents' handles and names: a sign-off with only a person's name is the business's.
    let agentWords: Set<String>

    public init(config: MailboxConfig, toneGuide: ToneGuide, words: ContentWords) {
        self.init(policy: config.content, toneGuide: toneGuide, words: words, businessName: config.businessName,
                  agentNames: config.agents.keys.sorted() + config.agents.values.sorted())
    }

    init(policy: ContentPolicy, toneGuide: ToneGuide, words: ContentWords, businessName: String, agentNames: [String]) {
        self.policy = policy
        shorteners = Array(Set(Self.publicShorteners + toneGuide.linkShorteners)).sorted()
        self.words = words
        self.businessName = businessName
        agentWords = Set(agentNames.flatMap { $0.lowercased().split(whereSeparator: { !$0.isLetter }).map(String.init) })
    }

    private static let hostPattern = try! NSRegularExpression(pattern: #"(https?://)?((?:[a-z0-9-]+\.)+[a-z]{2,})(/|(?=[\s,;!?)\]]|\.?$|\.\s))"#)

    /// The public short links in `text`, each with where it starts; links to a branded domain are not among them.
    public func shortLinks(in text: String) -> [(host: String, at: String.Index)] {
        let lower = text.lowercased()
        guard Self.mayHoldHost(lower) else { return [] }
        let range = NSRange(lower.startIndex..., in: lower)
        return Self.hostPattern.matches(in: lower, range: range).compactMap { match in
            guard let hostRange = Range(match.range(at: 2), in: lower) else { return nil }
            let host = String(lower[hostRange])
            let isOwn = policy.brandedDomains.contains { host == $0 || host.hasSuffix("." + $0) }
            guard !isOwn, let shortener = shorteners.first(where: { host == $0 || host.hasSuffix("." + $0) }) else { return nil }
            let start = Range(match.range, in: lower)!.lowerBound
            return (shortener, text.index(text.startIndex, offsetBy: lower.distance(from: lower.startIndex, to: start)))
        }
    }

    /// Whether a lower-cased text has a dot followed by two letters, which
    /// every host `hostPattern` matches ends with: most texts have none,
    /// and the audit asks about every text ever sent.
    private static func mayHoldHost(_ lower: String) -> Bool {
        let bytes = Array(lower.utf8)
        guard bytes.count >= 3 else { return false }
        func isLetter(_ byte: UInt8) -> Bool { (0x61...0x7A).contains(byte) }
        return (0..<bytes.count - 2).contains { bytes[$0] == UInt8(ascii: ".") && isLetter(bytes[$0 + 1]) && isLetter(bytes[$0 + 2]) }
    }

    /// The restricted categories the text touches that `campaign` does not declare.
    public func undeclaredContent(in text: String, campaign: Campaign?) -> [(category: ContentCategory, word: String)] {
        Self.undeclared(words.categories(in: text), campaign: campaign)
    }

    static func undeclared(_ found: [(category: ContentCategory, word: String)],
                           campaign: Campaign?) -> [(category: ContentCategory, word: String)] {
        found.filter { !(campaign?.content.contains($0.category) ?? false) }
    }

    /// The name a text signs with when it is not the business's: the last
    /// line, or what follows a final " - ", that names neither the business,
    /// one of `content.sender_names`, nor only one of the agents.
    public func foreignSignOff(in text: String) -> String? {
        // Most texts have no dash at all, and the audit asks about every text ever sent.
        guard text.unicodeScalars.contains(where: { $0 == "-" || $0 == "—" || $0 == "–" }) else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let signature = Self.signOff(of: trimmed) else { return nil }
        let lower = signature.lowercased()
        if ([businessName] + policy.senderNames).contains(where: { lower.contains($0.lowercased()) }) { return nil }
        let words = lower.split(whereSeparator: { !$0.isLetter }).map(String.init)
        if !words.isEmpty, words.allSatisfy(agentWords.contains) { return nil }
        return signature
    }

    /// "Bright Smile Dental" in "… see you then. - Bright Smile Dental".
    static func signOff(of text: String) -> String? {
        // The last dash that starts a line or stands between spaces, in the text's last 60 characters (a sign-off is short).
        let tail = Array(text.suffix(60))
        guard let dash = tail.indices.last(where: { index in
            guard ["-", "—", "–"].contains(tail[index]), index > 0 else { return false }
            let after: Character? = index + 1 < tail.count ? tail[index + 1] : nil
            return tail[index - 1] == "\n" || (tail[index - 1] == " " && after == " ")
        }) else { return nil }
        let signature = String(tail[(dash + 1)...]).trimmingCharacters(in: .whitespacesAndNewlines)
        // A name is short, starts with a capital and tells the customer nothing to do ("- Reply STOP to opt out" is no signature).
        let words = signature.split(separator: " ")
        guard let first = signature.first, first.isUppercase, signature.count <= 40, words.count <= 6, !signature.contains("?"),
              !words.contains(where: { ComplianceGate.instructionVerbs.contains($0.lowercased()) || $0.contains(where: \.isNumber) })
        else { return nil }
        return signature
    }
}
