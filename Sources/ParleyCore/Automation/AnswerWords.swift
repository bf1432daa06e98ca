import Foundation

/// `automations/answers.yaml`: how Parley reads a customer's answer to an
/// automation that asks (a confirmation, a satisfaction question). A file
/// on the main branch the business edits like its templates; a mailbox
/// without it uses the one `parley init` installs.
///
/// Reading is cautious: words and phrases match whole, ignoring case and
/// punctuation; where phrases overlap the longest wins, so "no problem,
/// see you then" is read as "no problem" and "see you then"—a
/// confirmation—never as "no". A text that is a question, is longer than
/// `max_words`, matches a `to_person` phrase, or points two ways ("yes but
/// I need to reschedule") is left to a person.
public struct AnswerWords: Equatable, Sendable {
    public static let path = "automations/answers.yaml"

    /// Outcome → words and phrases for a confirmation's answer.
    public let confirmation: [String: [String]]
    /// Rating 1–5 → words for a satisfaction answer (the digits are always read).
    public let satisfaction: [Int: [String]]
    /// Phrases that send an answer to a person whatever else it says ("not sure").
    public let toPerson: [String]
    public let maxWords: Int

    public init(confirmation: [String: [String]], satisfaction: [Int: [String]], toPerson: [String], maxWords: Int) {
        self.confirmation = confirmation
        self.satisfaction = satisfaction
        self.toPerson = toPerson
        self.maxWords = maxWords
    }

    /// The file `parley init` installs (templates/automations/answers.yaml).
    public static let defaults: AnswerWords = {
        guard let text = DefaultSkeleton.files[path], let parsed = try? parse(Data(text.utf8)) else {
            return AnswerWords(confirmation: [:], satisfaction: [:], toPerson: [], maxWords: 12)
        }
        return parsed
    }()

    public static func parse(_ data: Data, path: String = AnswerWords.path) throws(ParleyError) -> AnswerWords {
        let fields = try YAMLFields.parseMapping(data, path: path)
        for key in fields.keys where !["confirmation", "satisfaction", "to_person", "max_words"].contains(key) {
            throw fields.problem(key, "unknown key '\(key)'; the file has confirmation, satisfaction, to_person and max_words")
        }
        var confirmation: [String: [String]] = [:]
        if let section = try fields.nested("confirmation") {
            for outcome in section.keys { confirmation[outcome] = try section.stringList(outcome) }
        }
        var satisfaction: [Int: [String]] = [:]
        if let section = try fields.nested("satisfaction") {
            for key in section.keys {
                guard let rating = Int(key), (1...5).contains(rating) else { throw section.problem(key, "ratings are 1 to 5, not '\(key)'") }
                satisfaction[rating] = try section.stringList(key)
            }
        }
        let maxWords = try fields.int("max_words") ?? 12
        guard (1...100).contains(maxWords) else { throw fields.problem("max_words", "'max_words' must be 1–100") }
        return AnswerWords(confirmation: confirmation, satisfaction: satisfaction, toPerson: try fields.stringList("to_person"), maxWords: maxWords)
    }

    /// The outcome a confirmation answer gives; nil: a person should read it.
    public func confirmationOutcome(of text: String) -> String? {
        read(text, classes: confirmation)
    }

    /// The rating 1–5 a satisfaction answer gives; nil: a person should read it.
    public func rating(of text: String) -> Int? {
        var classes = Dictionary(uniqueKeysWithValues: (1...5).map { (String($0), [String($0)]) })
        for (rating, words) in satisfaction { classes[String(rating), default: []] += words }
        return read(text, classes: classes).flatMap(Int.init)
    }

    /// The one class every phrase found in `text` belongs to, longest phrase first at each word; nil when none, several or a person is needed.
    private func read(_ text: String, classes: [String: [String]]) -> String? {
        guard !text.contains("?") else { return nil }
        let tokens = Self.tokens(text)
        guard !tokens.isEmpty, tokens.count <= maxWords else { return nil }
        let person = "\u{0}person"
        var phrases: [(parts: [String], label: String)] = toPerson.map { (Self.tokens($0), person) }
        for (label, words) in classes { phrases += words.map { (Self.tokens($0), label) } }
        phrases = phrases.filter { !$0.parts.isEmpty }.sorted { $0.parts.count > $1.parts.count }
        var found = Set<String>(), index = 0
        while index < tokens.count {
            if let match = phrases.first(where: { index + $0.parts.count <= tokens.count && Array(tokens[index..<index + $0.parts.count]) == $0.parts }) {
                found.insert(match.label)
                index += match.parts.count
            } else {
                index += 1
            }
        }
        guard found.count == 1, let label = found.first, label != person else { return nil }
        return label
    }

    /// Lowercased words (letters, digits, apostrophes) and each emoji or other symbol on its own.
    static func tokens(_ text: String) -> [String] {
        var tokens: [String] = [], word = ""
        func flush() { if !word.isEmpty { tokens.append(word); word = "" } }
        for character in text.lowercased() {
            let character: Character = character == "’" ? "'" : character
            if character.isLetter || character.isNumber || character == "'" {
                word.append(character)
            } else if character.unicodeScalars.contains(where: { $0.properties.isEmoji && !$0.isASCII }) {
                flush()
                // Skin tones and variation selectors do not change what the symbol says.
                tokens.append(String(String.UnicodeScalarView(character.unicodeScalars.filter { !$0.properties.isEmojiModifier && $0.value != 0xFE0F })))
            } else {
                flush()
            }
        }
        flush()
        return tokens
    }
}
