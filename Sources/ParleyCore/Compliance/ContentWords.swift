import Foundation

/// `content-words.yaml`: the words and phrases that mark restricted
/// (SHAFT) content, per category, kept as a file on the main branch so the
/// business reviews and edits the list like its templates. A mailbox
/// without the file uses the list `parley init` installs.
public struct ContentWords: Equatable, Sendable {
    public static let path = "content-words.yaml"

    /// Category → lowercased words and phrases, matched whole.
    public let words: [ContentCategory: [String]]
    /// The same, normalized once as texts are (`KeywordClassifier.normalizedText`) and split into words,
    /// so judging a text normalizes only the text: an audit judges every text sent.
    private let phrases: [(category: ContentCategory, word: String, parts: [Substring])]
    private let firstWords: Set<Substring>

    public init(words: [ContentCategory: [String]]) {
        self.words = words
        phrases = ContentCategory.allCases.flatMap { category in
            (words[category] ?? []).map { (category, $0, KeywordClassifier.normalizedText($0).split(separator: " ")) }.filter { !$0.2.isEmpty }
        }
        firstWords = Set(phrases.map { $0.parts[0] })
    }

    public static func == (lhs: ContentWords, rhs: ContentWords) -> Bool { lhs.words == rhs.words }

    /// The list `parley init` installs (templates/content-words.yaml).
    public static let defaults: ContentWords = {
        guard let text = DefaultSkeleton.files[path], let parsed = try? parse(Data(text.utf8)) else { return ContentWords(words: [:]) }
        return parsed
    }()

    public static func parse(_ data: Data, path: String = ContentWords.path) throws(ParleyError) -> ContentWords {
        let fields = try YAMLFields.parseMapping(data, path: path)
        var words: [ContentCategory: [String]] = [:]
        for key in fields.keys {
            guard let category = ContentCategory(rawValue: key) else {
                throw fields.problem(key, "unknown category '\(key)'; categories are \(ContentCategory.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            words[category] = try fields.stringList(key).map { $0.lowercased() }.filter { !$0.isEmpty }
        }
        return ContentWords(words: words)
    }

    /// Each category the text touches, with the first word of it found, in category order.
    public func categories(in text: String) -> [(category: ContentCategory, word: String)] {
        let tokens = KeywordClassifier.normalizedText(text).split(separator: " ")
        let starts = tokens.indices.filter { firstWords.contains(tokens[$0]) }
        guard !starts.isEmpty else { return [] }
        var found: [(category: ContentCategory, word: String)] = []
        for phrase in phrases where !found.contains(where: { $0.category == phrase.category }) {
            let matches = starts.contains { start in
                start + phrase.parts.count <= tokens.count && zip(tokens[start...], phrase.parts).allSatisfy { $0 == $1 }
            }
            if matches { found.append((phrase.category, phrase.word)) }
        }
        return found
    }
}
