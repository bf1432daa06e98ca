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
        // Lines end at the LF byte: as Characters, a CR LF is one grapheme
        // that is not "\n", and a body ending in CR would lose its CR.
        let bytes = normalized.utf8
        var lineStart = bytes.startIndex, lineNumber = 1
        var yamlStart: String.Index?, yamlEnd: String.Index?, bodyStart: String.Index?
        while lineStart < bytes.endIndex || lineNumber == 1 {
            let lineEnd = bytes[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.endIndex
            let next = lineEnd < bytes.endIndex ? bytes.index(after: lineEnd) : lineEnd
            if isFence(bytes[lineStart..<lineEnd]) {
                if yamlStart == nil {
                    yamlStart = next
                } else {
                    yamlEnd = lineStart
                    bodyStart = next
                    break
                }
            } else if lineNumber == 1 {
                throw .malformed(FormatIssue(path: path, line: 1, problem: "expected '---' to open the front matter"))
            }
            if lineEnd == bytes.endIndex { break }
            lineStart = next
            lineNumber += 1
        }
        guard let yamlStart, let yamlEnd, let bodyStart else {
            throw .malformed(FormatIssue(path: path, line: lineNumber, problem: "front matter opened on line 1 is never closed with '---'"))
        }
        // The YAML without the newline before the closing fence.
        let yaml = yamlEnd > yamlStart ? String(normalized[yamlStart..<bytes.index(before: yamlEnd)]) : ""
        var body = String(normalized[bodyStart...])
        if body.unicodeScalars.last == "\n" { body.unicodeScalars.removeLast() }
        let fields = try YAMLFields.parseMapping(yaml, path: path, firstLine: 2)
        return FrontMatterDocument(fields: fields, body: body)
    }

    /// "---" with optional spaces or tabs around it.
    private static func isFence(_ line: Substring.UTF8View) -> Bool {
        let isBlank = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        return line.drop(while: isBlank).reversed().drop(while: isBlank).elementsEqual("---".utf8)
    }

    /// Renders front matter and body in the canonical layout.
    static func render(_ writer: YAMLWriter, body: String) -> Data {
        Data(("---\n" + writer.text + "---\n" + body + "\n").utf8)
    }
}
