import Foundation

/// `content-words.yaml`: the words and phrases that mark restricted
/// (SHAFT) content, per category, kept as a file on the main branch so the
/// business reviews and edits the list like its templates. A mailbox
/// without the file uses the list `parley init` installs.
public struct ContentWords: Equatable, Sendable {
    public static let path = "content-words.yaml"

    /// Category → lowercased words and phrases, matched whole.
    public var words: [ContentCategory: [String]]

    public init(words: [ContentCategory: [String]]) {
        self.words = words
    }

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
        let normalized = " " + KeywordClassifier.normalizedText(text) + " "
        return ContentCategory.allCases.compactMap { category in
            words[category]?.first { normalized.contains(" " + KeywordClassifier.normalizedText($0) + " ") }.map { (category, $0) }
        }
    }
}
