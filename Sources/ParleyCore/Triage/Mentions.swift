import Foundation

/// The agents a note mentions: `@handle` at the start of the text or after
/// a space or an opening bracket (so an e-mail address is not a mention),
/// lower-cased, a sentence's closing `.` not included, each once.
public enum Mentions {
    public static func handles(in text: String) -> [String] {
        var found: [String] = []
        var previous: Character = " "
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            defer { previous = character }
            index = text.index(after: index)
            guard character == "@", previous.isWhitespace || "([{".contains(previous) else { continue }
            let rest = text[index...]
            var handle = String(rest.prefix { $0.isLetter || $0.isNumber || "._-".contains($0) }).lowercased()
            while handle.hasSuffix(".") || handle.hasSuffix("-") { handle.removeLast() }
            if Agent.isValidHandle(handle), !found.contains(handle) { found.append(handle) }
        }
        return found
    }
}
