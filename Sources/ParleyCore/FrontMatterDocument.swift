import Foundation
import Yams

/// A Markdown file with YAML front matter: `---`, YAML, `---`, then the body.
/// The body is everything after the closing fence minus one final newline,
/// so a writer that appends exactly one newline round-trips byte for byte.
struct FrontMatterDocument {
    let fields: YAMLFields
    let body: String

    /// Splits and parses `data` read from `path`; every problem names its line.
    static func parse(_ data: Data, path: String) throws(ParleyError) -> FrontMatterDocument {
        guard let text = String(data: data, encoding: .utf8) else {
            throw .malformed(FormatIssue(path: path, line: nil, problem: "not UTF-8 text"))
        }
        // Tolerate a byte order mark and Windows line ends from hand editing
        // (a file whose fence ends in CR LF); a body Parley wrote keeps the
        // CR LF the customer sent.
        var normalized = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        if normalized.hasPrefix("---\r\n") { normalized = normalized.replacingOccurrences(of: "\r\n", with: "\n") }
        // Lines split on the LF scalar: as Characters, a CR LF is one grapheme
        // that is not "\n", and a body ending in CR would lose its CR.
        var lines = normalized.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { String(String.UnicodeScalarView($0)) }
        guard lines.first?.trimmingCharacters(in: .whitespaces) == "---" else {
            throw .malformed(FormatIssue(path: path, line: 1, problem: "expected '---' to open the front matter"))
        }
        guard let closing = lines.indices.dropFirst().first(where: { lines[$0].trimmingCharacters(in: .whitespaces) == "---" }) else {
            throw .malformed(FormatIssue(path: path, line: lines.count, problem: "front matter opened on line 1 is never closed with '---'"))
        }
        let yaml = lines[1..<closing].joined(separator: "\n")
        lines.removeSubrange(0...closing)
        var body = lines.joined(separator: "\n")
        if body.unicodeScalars.last == "\n" { body.unicodeScalars.removeLast() }
        let fields = try YAMLFields.parseMapping(yaml, path: path, firstLine: 2)
        return FrontMatterDocument(fields: fields, body: body)
    }

    /// Renders front matter and body in the canonical layout.
    static func render(_ writer: YAMLWriter, body: String) -> Data {
        Data(("---\n" + writer.text + "---\n" + body + "\n").utf8)
    }
}
