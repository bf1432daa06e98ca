import Foundation

/// Writes the small, fixed-order YAML Parley produces. Output is
/// deterministic—same value, same bytes—so a rewrite of an unchanged record
/// is no change at all and webhook retries produce no new commit.
public struct YAMLWriter {
    /// Control characters, and the ones YAML treats as line breaks or a byte order mark: written as escapes.
    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || scalar.value == 0x7F || ["\u{85}", "\u{2028}", "\u{2029}", "\u{FEFF}"].contains(scalar)
    }

    public private(set) var text = ""
    private let indent: String

    public init(indent: Int = 0) {
        self.indent = String(repeating: " ", count: indent)
    }

    /// `key: value`, skipped when `value` is nil.
    public mutating func field(_ key: String, _ value: String?) {
        guard let value else { return }
        text += "\(indent)\(key): \(Self.scalar(value))\n"
    }

    /// A number or a truth value, written as Swift prints it (`3`, `true`); text goes through the `String` overload, which quotes.
    public mutating func field<Value: LosslessStringConvertible>(_ key: String, _ value: Value?) {
        guard let value else { return }
        text += "\(indent)\(key): \(value)\n"
    }

    public mutating func field(_ key: String, _ value: Date?) {
        guard let value else { return }
        text += "\(indent)\(key): \(Timestamp.format(value))\n"
    }

    /// A block list; skipped when empty.
    public mutating func list(_ key: String, _ values: [String]) {
        guard !values.isEmpty else { return }
        text += "\(indent)\(key):\n"
        for value in values { text += "\(indent)  - \(Self.scalar(value))\n" }
    }

    /// A block list of small mappings, e.g. `- handle: dana` / `  name: Dana`.
    public mutating func mappingList(_ key: String, _ items: [[(String, String?)]]) {
        mappingList(key, flowItems: items.map { item in item.map { field, value in (field, value.map { [$0] }) } })
    }

    /// A flow list on one line, `key: [a, b]`; written even when empty, so a
    /// person sees where to add to it.
    mutating func flowList(_ key: String, _ values: [String]) {
        text += "\(indent)\(key): [" + values.map(Self.scalar).joined(separator: ", ") + "]\n"
    }

    /// A block list of small mappings whose values may be flow lists, e.g.
    /// `- name: sales` / `  outcomes: [won, lost]`.
    mutating func mappingList(_ key: String, flowItems items: [[(String, [String]?)]]) {
        guard !items.isEmpty else { return }
        text += "\(indent)\(key):\n"
        for item in items {
            var marker = "- "
            for (field, values) in item {
                guard let values else { continue }
                let value = values.count == 1 ? Self.scalar(values[0]) : "[" + values.map(Self.scalar).joined(separator: ", ") + "]"
                text += "\(indent)  \(marker)\(field): \(value)\n"
                marker = "  "
            }
        }
    }

    /// A nested mapping written by `body`; skipped when it writes nothing.
    public mutating func mapping(_ key: String, _ body: (inout YAMLWriter) -> Void) {
        var child = YAMLWriter(indent: indent.count + 2)
        body(&child)
        guard !child.text.isEmpty else { return }
        text += "\(indent)\(key):\n" + child.text
    }

    /// A comment line, for files people read.
    public mutating func comment(_ line: String) {
        text += "\(indent)# \(line)\n"
    }

    public mutating func blankLine() { text += "\n" }

    /// The value as a plain scalar when YAML reads it back unchanged as a
    /// string, else double-quoted with escapes.
    static func scalar(_ value: String) -> String {
        needsQuotes(value) ? quoted(value) : value
    }

    private static let reserved: Set<String> = ["true", "false", "yes", "no", "on", "off", "y", "n", "null", "~"]

    private static func needsQuotes(_ value: String) -> Bool {
        guard let first = value.unicodeScalars.first, let last = value.unicodeScalars.last else { return true }
        if reserved.contains(value.lowercased()) { return true }
        if "-?:,[]{}#&*!|>'\"%@`+. ".unicodeScalars.contains(first) || last == " " { return true }
        if value.contains(": ") || value.contains(" #") || value.hasSuffix(":") { return true }
        if value.unicodeScalars.contains(where: Self.needsEscape) {
            return true
        }
        // After a leading digit, quote what some YAML reader might take for a
        // number, date or time (1e5, 0x1F, 12:30, 2026-03-09); ids stay plain.
        guard ("0"..."9").contains(first) else { return false }
        let lower = value.lowercased()
        return lower.hasPrefix("0x") || lower.hasPrefix("0o") || lower.hasPrefix("0b")
            || lower.allSatisfy { "0123456789+-.:_ etz".contains($0) }
    }

    /// The one-letter escapes of a double-quoted scalar, by the character
    /// they stand for (`\n` for a line break); the reader reads them back
    /// from the same table, and every other control character is `\uXXXX`.
    static let escapes: [Unicode.Scalar: Unicode.Scalar] = ["\"": "\"", "\\": "\\", "\n": "n", "\t": "t", "\r": "r"]

    private static func quoted(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            if let letter = escapes[scalar] {
                out.unicodeScalars.append("\\")
                out.unicodeScalars.append(letter)
            } else if Self.needsEscape(scalar) {
                out += String(format: "\\u%04X", scalar.value)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
