import Foundation

/// A plain-English commit message with `Parley-…` trailers, so that
/// `git log --grep` and `parley log` can answer questions from history.
public struct CommitMessage: Sendable {
    public var subject: String
    public var body: String?
    public var trailers: [(Trailer, String)]

    /// A message whose first trailer names the action: every Parley commit says what it did.
    public init(subject: String, body: String? = nil, action: CommitAction, trailers: [(Trailer, String)] = []) {
        self.subject = subject
        self.body = body
        self.trailers = [(.action, action.rawValue)] + trailers
    }

    public var text: String {
        var text = subject + "\n"
        if let body, !body.isEmpty { text += "\n" + body + "\n" }
        if !trailers.isEmpty {
            text += "\n" + trailers.map { "\($0.0.rawValue): \($0.1.replacingOccurrences(of: "\n", with: " "))" }.joined(separator: "\n") + "\n"
        }
        return text
    }

    /// Parley's `Key: value` lines of the message's last paragraph (after
    /// the last blank line), none when any line of it is not a trailer;
    /// other tools' trailers (`Signed-off-by:`) are passed over. Read byte
    /// by byte: an audit reads the trailers of every commit of the history.
    public static func trailers(in message: String) -> [(Trailer, String)] {
        var message = message
        return message.withUTF8 { trailers(in: $0) }.compactMap { key, value in Trailer(rawValue: key).map { ($0, value) } }
    }

    /// An ASCII letter, digit or dash: a key's usual bytes, checked without decoding characters.
    private static func isKeyByte(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "-") || (0x30...0x39).contains(byte) || (0x61...0x7A).contains(byte | 0x20)
    }

    private static func trailers(in bytes: UnsafeBufferPointer<UInt8>) -> [(String, String)] {
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }
        var start = 0, end = bytes.count
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        while start < end, isSpace(bytes[start]) { start += 1 }
        var paragraph = end - 1
        while paragraph > start, !(bytes[paragraph] == 0x0A && bytes[paragraph - 1] == 0x0A) { paragraph -= 1 }
        guard paragraph > start else { return [] }
        var found: [(String, String)] = []
        var line = paragraph + 1
        while line < end {
            var lineEnd = line
            while lineEnd < end, bytes[lineEnd] != 0x0A { lineEnd += 1 }
            defer { line = lineEnd + 1 }
            guard lineEnd > line else { continue }
            guard let colon = (line..<lineEnd).first(where: { bytes[$0] == 0x3A }), colon > line else { return [] }
            let key = String(decoding: UnsafeBufferPointer(rebasing: bytes[line..<colon]), as: UTF8.self)
            guard key.utf8.allSatisfy(isKeyByte) || key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else { return [] }
            var valueStart = colon + 1, valueEnd = lineEnd
            while valueStart < valueEnd, bytes[valueStart] == 0x20 || bytes[valueStart] == 0x09 { valueStart += 1 }
            while valueEnd > valueStart, bytes[valueEnd - 1] == 0x20 || bytes[valueEnd - 1] == 0x09 { valueEnd -= 1 }
            found.append((key, String(decoding: UnsafeBufferPointer(rebasing: bytes[valueStart..<valueEnd]), as: UTF8.self)))
        }
        return found
    }
}
