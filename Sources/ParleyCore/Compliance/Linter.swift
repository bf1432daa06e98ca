import Foundation

/// Checks a message against the tone guide and the segment rules.
public struct Linter: Sendable {
    public let guide: ToneGuide
    public let businessName: String
    /// The mailbox's own `redact:` patterns, refused like card numbers.
    public let redactions: [RedactionPattern]
    /// Where public short links are found (the gate's content rule asks the same).
    let content: ContentCheck

    public init(guide: ToneGuide, businessName: String, redactions: [RedactionPattern] = [], content: ContentPolicy = ContentPolicy()) {
        self.guide = guide
        self.businessName = businessName
        self.redactions = redactions
        self.content = ContentCheck(policy: content, toneGuide: guide, words: ContentWords(words: [:]), businessName: businessName, agentNames: [])
    }

    /// The linter of a mailbox: its business name, its own redaction patterns and link domains.
    public init(guide: ToneGuide, config: MailboxConfig) {
        self.init(guide: guide, businessName: config.businessName, redactions: config.redactions, content: config.content)
    }

    public func lint(_ text: String) -> [LintFinding] {
        var findings: [LintFinding] = []
        let lower = text.lowercased()
        // Never a tone-guide choice: no level and no override lifts it.
        if let what = SensitiveNumbers.refusal(for: text, patterns: redactions) {
            findings.append(finding(text, at: text.startIndex, "sensitive-number", .error,
                                    "holds \(what): never send one by SMS; take it out"))
        }
        for phrase in guide.bannedPhrases where !phrase.isEmpty {
            for range in ranges(of: phrase.lowercased(), in: lower) {
                findings.append(finding(text, at: range.lowerBound, "banned-phrase", guide.bannedPhrasesLevel,
                    "'\(phrase)' is on the tone guide's banned list"))
            }
        }
        for link in content.shortLinks(in: text) {
            findings.append(finding(text, at: link.at, "link-shortener", guide.linkShortenersLevel,
                                    "\(link.host) links are filtered by carriers; link to your own domain"))
        }
        if let maximum = guide.maxAllCapsWords {
            let shouting = capsWords(text)
            if shouting.count > maximum, let first = shouting.first {
                findings.append(finding(text, at: first, "all-caps", .warning,
                                        "\(shouting.count) ALL-CAPS words (the tone guide allows \(maximum)); it reads as shouting"))
            }
        }
        if guide.emoji != .allow, let emoji = text.indices.first(where: { Self.isEmoji(text[$0]) }) {
            findings.append(finding(text, at: emoji, "emoji", guide.emoji == .forbid ? .error : .warning,
                                    "emoji make the message UCS-2 (70 characters a segment)"))
        }
        let segments = SegmentCount(text)
        if guide.preferGSM7, segments.encoding == .ucs2 {
            let forcing = segments.nonGSMCharacters.filter { !$0.unicodeScalars.contains(where: { $0.properties.isEmojiPresentation }) }
            if let first = forcing.first, let index = text.firstIndex(of: Character(first)) {
                let fixable = forcing.filter { SmartASCII.replacements[Character($0)] != nil }
                let hint = fixable.isEmpty ? "" : "; --smart-ascii replaces \(fixable.map { "'\($0)'" }.joined(separator: " "))"
                let ascii = SegmentCount(SmartASCII.apply(text))
                // Only claim a saving the ASCII fix really makes.
                let cost = ascii.encoding == .gsm7 && ascii.segments < segments.segments
                    ? "\(segments.segments) segments instead of \(ascii.segments)"
                    : "70 characters a segment instead of 160"
                findings.append(finding(text, at: index, "encoding", .warning,
                                        "\(forcing.map { "'\($0)'" }.joined(separator: " ")) force UCS-2: \(cost)\(hint)"))
            }
        }
        if let maximum = guide.maxSegments, segments.segments > maximum {
            findings.append(LintFinding(line: 1, column: 1, rule: "segments", level: .error,
                                        message: "\(segments.segments) segments (\(segments.encoding.rawValue), \(segments.units) units); the tone "
                                            + "guide allows \(maximum)"))
        }
        if let signOff = guide.signOff {
            let expected = signOff.replacingOccurrences(of: "{{business_name}}", with: businessName).trimmingCharacters(in: .whitespaces)
            if !expected.isEmpty, !text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased().hasSuffix(expected.lowercased()) {
                let end = text.endIndex
                findings.append(finding(text, at: end, "sign-off", guide.signOffLevel, "end with the sign-off '\(expected)'"))
            }
        }
        return findings.sorted { ($0.line, $0.column, $0.rule) < ($1.line, $1.column, $1.rule) }
    }

    private func ranges(of needle: String, in haystack: String) -> [Range<String.Index>] {
        var found: [Range<String.Index>] = []
        var start = haystack.startIndex
        while let range = haystack.range(of: needle, range: start..<haystack.endIndex) {
            let before = range.lowerBound == haystack.startIndex ? nil : haystack[haystack.index(before: range.lowerBound)]
            let after = range.upperBound == haystack.endIndex ? nil : haystack[range.upperBound]
            if !(before?.isLetter ?? false) && !(after?.isLetter ?? false) { found.append(range) }
            start = range.upperBound
        }
        return found
    }

    private func capsWords(_ text: String) -> [String.Index] {
        var starts: [String.Index] = []
        var index = text.startIndex
        while index < text.endIndex {
            guard text[index].isLetter else { index = text.index(after: index); continue }
            let start = index
            while index < text.endIndex, text[index].isLetter { index = text.index(after: index) }
            let word = text[start..<index]
            // Keywords people are told to reply with are not shouting.
            if word.count >= 2, word.allSatisfy(\.isUppercase), !["STOP", "HELP", "START", "YES", "NO", "OK", "ID", "PM",
                "AM"].contains(String(word)) {
                starts.append(start)
            }
        }
        return starts
    }

    static func isEmoji(_ character: Character) -> Bool {
        character.unicodeScalars.contains { $0.properties.isEmojiPresentation || ($0.properties.isEmoji && $0.value > 0x2000 && $0.value != 0x20AC) }
    }

    private func finding(_ text: String, at index: String.Index, _ rule: String, _ level: ToneGuide.Level, _ message: String) -> LintFinding {
        var line = 1, column = 1
        for character in text[..<index] {
            if character == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        return LintFinding(line: line, column: column, rule: rule, level: level, message: message)
    }
}
