/// Reads the small YAML subset Parley itself writes—`key: value` lines,
/// plain or double-quoted scalars, block lists of scalars, comments—about
/// twenty times faster than a full YAML parser. It returns nil for anything
/// outside that subset, and the caller falls back to the full parser, so
/// hand-written YAML of any shape still reads the same.
enum SimpleYAMLReader {
    static func read(_ text: String, firstLine: Int) -> [YAMLEntry]? {
        var entries: [YAMLEntry] = []
        var seen = Set<String>()
        var pendingListKey: (key: String, line: Int)?
        var listItems: [(value: YAMLValue, line: Int?)] = []
        var lineNumber = firstLine - 1

        func closeList() {
            if let pending = pendingListKey {
                entries.append(YAMLEntry(key: pending.key, value: listItems.isEmpty ? .scalar("", plain: true) : .sequence(listItems),
                    line: pending.line))
            }
            pendingListKey = nil
            listItems = []
        }

        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = Substring(rawLine)
            let trimmed = line.drop { $0 == " " }
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            if line.first == " " || line.first == "-" {
                // Only "  - scalar" items of the list opened by "key:" are simple.
                guard pendingListKey != nil, trimmed.hasPrefix("- ") || trimmed == "-" else { return nil }
                guard let item = scalar(trimmed.dropFirst(2)) else { return nil }
                listItems.append((item, lineNumber))
                continue
            }
            closeList()
            guard let colon = line.firstIndex(of: ":") else { return nil }
            let key = line[..<colon]
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else { return nil }
            let keyString = String(key)
            guard seen.insert(keyString).inserted else { return nil }  // let the full parser report it
            let rest = line[line.index(after: colon)...]
            if rest.allSatisfy({ $0 == " " }) {
                pendingListKey = (keyString, lineNumber)
                continue
            }
            guard rest.first == " ", let value = scalar(rest.dropFirst()) else { return nil }
            entries.append(YAMLEntry(key: keyString, value: value, line: lineNumber))
        }
        closeList()
        return entries
    }

    /// The one-letter escapes Parley writes (`YAMLWriter.escapes`), plus `\/` and `\0` that YAML also allows.
    private static let unescaped: [Unicode.Scalar: Unicode.Scalar] =
        Dictionary(uniqueKeysWithValues: YAMLWriter.escapes.map { ($1, $0) }).merging(["/": "/", "0": "\0"]) { first, _ in first }

    /// A plain or double-quoted scalar; nil for anything needing the full parser.
    private static func scalar(_ text: Substring) -> YAMLValue? {
        let value = text.drop { $0 == " " }
        guard let first = value.first else { return .scalar("", plain: true) }
        if first == "\"" { return quoted(value.dropFirst()) }
        if "'[]{}&*!|>%@`#,?:-".contains(first) { return nil }
        var plain = value
        while plain.last == " " { plain.removeLast() }
        if needsFullParser(plain) { return nil }
        return .scalar(String(plain), plain: true)
    }

    /// Whether a plain scalar holds " #", ": ", a tab or a final ":" (which
    /// YAML reads differently), checked byte by byte: Foundation's substring
    /// search was a tenth of the time of reading a mailbox.
    private static func needsFullParser(_ plain: Substring) -> Bool {
        var previous: UInt8 = 0
        for byte in plain.utf8 {
            if byte == UInt8(ascii: "\t") || (previous == UInt8(ascii: " ") && byte == UInt8(ascii: "#"))
                || (previous == UInt8(ascii: ":") && byte == UInt8(ascii: " ")) { return true }
            previous = byte
        }
        return previous == UInt8(ascii: ":")
    }

    private static func quoted(_ text: Substring) -> YAMLValue? {
        var result = ""
        var iterator = text.unicodeScalars.makeIterator()
        while let scalar = iterator.next() {
            switch scalar {
            case "\"":
                // Only spaces or a comment may follow the closing quote.
                var tail = ""
                while let next = iterator.next() { tail.unicodeScalars.append(next) }
                let trimmed = tail.drop { $0 == " " }
                guard trimmed.isEmpty || trimmed.hasPrefix("#") else { return nil }
                return .scalar(result, plain: false)
            case "\\":
                guard let escaped = iterator.next() else { return nil }
                if let character = unescaped[escaped] {
                    result.unicodeScalars.append(character)
                    continue
                }
                guard escaped == "u" else { return nil }
                var hex = ""
                for _ in 0..<4 { guard let digit = iterator.next() else { return nil }; hex.unicodeScalars.append(digit) }
                guard let code = UInt32(hex, radix: 16), let decoded = Unicode.Scalar(code) else { return nil }
                result.unicodeScalars.append(decoded)
            default:
                result.unicodeScalars.append(scalar)
            }
        }
        return nil  // unterminated: the full parser reports where
    }
}
