import Foundation

/// A plain-English commit message with `Parley-…` trailers, so that
/// `git log --grep` and `parley log` can answer questions from history.
public struct CommitMessage: Sendable {
    public var subject: String
    public var body: String?
    public var trailers: [(Trailer, String)]

    public init(subject: String, body: String? = nil, trailers: [(Trailer, String)] = []) {
        self.subject = subject
        self.body = body
        self.trailers = trailers
    }

    public var text: String {
        var text = subject + "\n"
        if let body, !body.isEmpty { text += "\n" + body + "\n" }
        if !trailers.isEmpty {
            text += "\n" + trailers.map { "\($0.0.rawValue): \($0.1.replacingOccurrences(of: "\n", with: " "))" }.joined(separator: "\n") + "\n"
        }
        return text
    }

    /// `Key: value` lines of the message's last paragraph.
    public static func trailers(in message: String) -> [(String, String)] {
        let paragraphs = message.trimmingCharacters(in: .whitespacesAndNewlines).components(separatedBy: "\n\n")
        guard paragraphs.count > 1, let last = paragraphs.last else { return [] }
        var found: [(String, String)] = []
        for line in last.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { return [] }
            let key = line[..<colon]
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else { return [] }
            found.append((String(key), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        return found
    }
}
