/// Reads the small YAML subset Parley itself writes—`key: value` lines,
/// plain or double-quoted scalars, block lists of scalars, comments—about
/// twenty times faster than a full YAML parser. It returns nil for anything
/// outside that subset, and the caller falls back to the full parser, so
/// hand-written YAML of any shape still reads the same.
///
/// It works on UTF-8 bytes, as YAML works on scalars: splitting a `String`
/// into `Character`s was most of the time of checking or indexing a large
/// mailbox, and read a space followed by a combining mark as no space.
enum SimpleYAMLReader {
    static func read(_ text: String, firstLine: Int) -> [YAMLEntry]? {
        var text = text
        return text.withUTF8 { read(bytes: $0, firstLine: firstLine) }
    }

    private static func read(bytes: UnsafeBufferPointer<UInt8>, firstLine: Int) -> [YAMLEntry]? {
        guard !hasOtherLineBreaks(bytes) else { return nil }
        var entries: [YAMLEntry] = []
        var pendingListKey: (key: String, line: Int)?
        var listItems: [(value: YAMLValue, line: Int?)] = []
        /// Where the first item's dash stands: an item elsewhere nests or ends the list.
        var listIndent: Int?
        var lineNumber = firstLine - 1

        func closeList() {
            if let pending = pendingListKey {
                entries.append(YAMLEntry(key: pending.key, value: listItems.isEmpty ? .scalar("", plain: true) : .sequence(listItems),
                    line: pending.line))
            }
            pendingListKey = nil
            listItems = []
            listIndent = nil
        }

        var lineStart = 0
        while true {
            let lineEnd = bytes[lineStart...].firstIndex(of: .newline) ?? bytes.count
            lineNumber += 1
            let line = bytes[lineStart..<lineEnd]
            let trimmed = line.drop { $0 == .space }
            if !trimmed.isEmpty, trimmed.first != .hash {
                if line.first == .space || line.first == .dash {
                    // Only "  - scalar" items of the list opened by "key:" are simple.
                    guard pendingListKey != nil, trimmed.starts(with: [.dash, .space]) || trimmed.elementsEqual([.dash]) else { return nil }
                    let indent = line.count - trimmed.count
                    guard indent == listIndent ?? indent else { return nil }
                    listIndent = indent
                    guard let item = scalar(trimmed.dropFirst(2)) else { return nil }
                    listItems.append((item, lineNumber))
                } else {
                    closeList()
                    guard let colon = line.firstIndex(of: .colon) else { return nil }
                    let key = line[..<colon]
                    guard !key.isEmpty, key.allSatisfy(isKeyByte) else { return nil }
                    let keyString = String(decoding: key, as: UTF8.self)
                    // A repeated key is left to the full parser to report. A record has a dozen
                    // keys: comparing with those before is cheaper than hashing each into a set.
                    guard !entries.contains(where: { $0.key == keyString }) else { return nil }
                    let rest = line[(colon + 1)...]
                    if rest.allSatisfy({ $0 == .space }) {
                        pendingListKey = (keyString, lineNumber)
                    } else {
                        guard rest.first == .space, let value = scalar(rest.dropFirst()) else { return nil }
                        entries.append(YAMLEntry(key: keyString, value: value, line: lineNumber))
                    }
                }
            }
            if lineEnd == bytes.count { break }
            lineStart = lineEnd + 1
        }
        closeList()
        return entries
    }

    private typealias Bytes = Slice<UnsafeBufferPointer<UInt8>>

    private static func isKeyByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"), .underscore, .dash:
            return true
        default:
            return false
        }
    }

    /// Whether a line break other than LF is in the text: a CR (of a CR LF),
    /// NEL, LS or PS, which YAML also reads as line breaks, or a byte order
    /// mark. Parley writes them as escapes; a file holding them raw goes to
    /// the full parser.
    private static func hasOtherLineBreaks(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        while index < bytes.count {
            switch bytes[index] {
            case .carriageReturn:
                return true
            case 0xC2 where index + 1 < bytes.count && bytes[index + 1] == 0x85:
                return true
            case 0xE2 where index + 2 < bytes.count && bytes[index + 1] == 0x80 && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9):
                return true
            case 0xEF where index + 2 < bytes.count && bytes[index + 1] == 0xBB && bytes[index + 2] == 0xBF:
                return true
            default:
                index += 1
            }
        }
        return false
    }

    /// The one-letter escapes Parley writes (`YAMLWriter.escapes`), plus `\/` and `\0` that YAML also allows.
    private static let unescaped: [UInt8: UInt8] = Dictionary(uniqueKeysWithValues: YAMLWriter.escapes.map {
        (UInt8($1.value), UInt8($0.value))
    }).merging([UInt8(ascii: "/"): UInt8(ascii: "/"), UInt8(ascii: "0"): 0]) { first, _ in first }

    /// A plain or double-quoted scalar; nil for anything needing the full parser.
    private static func scalar(_ text: Bytes) -> YAMLValue? {
        let value = text.drop { $0 == .space }
        guard let first = value.first else { return .scalar("", plain: true) }
        if first == .quote { return quoted(value.dropFirst()) }
        if "'[]{}&*!|>%@`#,?:-".utf8.contains(first) { return nil }
        var plain = value
        while plain.last == .space { plain.removeLast() }
        if needsFullParser(plain) { return nil }
        return .scalar(String(decoding: plain, as: UTF8.self), plain: true)
    }

    /// Whether a plain scalar holds " #", ": ", a tab or a final ":" (which
    /// YAML reads differently).
    private static func needsFullParser(_ plain: Bytes) -> Bool {
        var previous: UInt8 = 0
        for byte in plain {
            if byte == .tab || (previous == .space && byte == .hash) || (previous == .colon && byte == .space) { return true }
            previous = byte
        }
        return previous == .colon
    }

    private static func quoted(_ text: Bytes) -> YAMLValue? {
        var result: [UInt8] = []
        result.reserveCapacity(text.count)
        var index = text.startIndex
        while index < text.endIndex {
            let byte = text[index]
            switch byte {
            case .quote:
                // Only spaces or a comment may follow the closing quote.
                let tail = text[(index + 1)...].drop { $0 == .space }
                guard tail.isEmpty || tail.first == .hash else { return nil }
                return .scalar(String(decoding: result, as: UTF8.self), plain: false)
            case .backslash:
                guard index + 1 < text.endIndex else { return nil }
                let escaped = text[index + 1]
                if let character = unescaped[escaped] {
                    result.append(character)
                    index += 2
                    continue
                }
                guard escaped == UInt8(ascii: "u"), index + 6 <= text.endIndex,
                      let code = hexValue(text[(index + 2)..<(index + 6)]), let decoded = Unicode.Scalar(code) else { return nil }
                result.append(contentsOf: String(decoded).utf8)
                index += 6
            default:
                result.append(byte)
                index += 1
            }
        }
        return nil  // unterminated: the full parser reports where
    }

    /// Four hex digits, nothing else.
    private static func hexValue(_ digits: Bytes) -> UInt32? {
        var value: UInt32 = 0
        for byte in digits {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }
}

private extension UInt8 {
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let tab = UInt8(ascii: "\t")
    static let space = UInt8(ascii: " ")
    static let hash = UInt8(ascii: "#")
    static let dash = UInt8(ascii: "-")
    static let colon = UInt8(ascii: ":")
    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")
    static let underscore = UInt8(ascii: "_")
}
