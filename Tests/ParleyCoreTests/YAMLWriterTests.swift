import Foundation
@testable import ParleyCore
import ParleyTestSupport
import Testing

@Suite struct YAMLWriterTests {
    @Test(arguments: [
        "plain", "yes", "No", "null", "~", "", " leading", "trailing ", "a: b", "a #b", "#x", "- x", "+1555", "0123", "12.5",
        "2026-03-09", "quote\"s", "back\\slash", "new\nline", "tab\there", "ünïcödé", "emoji 😀", "[x]", "{y}", "*star", "&amp",
        "!tag", "|pipe", ">fold", "%p", "@at", "`tick", "'single'", "x:", "control\u{01}char", "true", "3e5", ".5",
    ])
    func everyStringReadsBackUnchanged(value: String) throws {
        var writer = YAMLWriter()
        writer.field("key", value)
        let fields = try YAMLFields.parseMapping(writer.text, path: "t.yaml")
        #expect(try fields.optionalString("key") == (value.isEmpty ? "" : value))
    }

    @Test func plainScalarsStayPlainForReadability() {
        #expect(YAMLWriter.scalar("Bright Smile Dental") == "Bright Smile Dental")
        #expect(YAMLWriter.scalar("America/Chicago") == "America/Chicago")
        #expect(YAMLWriter.scalar("+13125550147") == "\"+13125550147\"")
    }
}

/// The fast reader and the full YAML parser must agree on everything the
/// fast reader accepts.
@Suite struct SimpleYAMLReaderTests {
    @Test func agreesWithTheFullParserOnWhatParleyWrites() throws {
        let values = ["plain", "yes", "", " lead", "a: b", "#x", "+1555", "0123", "quote\"s", "new\nline", "ünï 😀", "x:", "c\u{01}", "tab\t"]
        for value in values {
            var writer = YAMLWriter()
            writer.field("key", value)
            writer.list("tags", [value, "b"])
            let entries = try #require(SimpleYAMLReader.read(writer.text, firstLine: 1), "\(writer.text)")
            guard case .scalar(let text, _) = entries[0].value else { Issue.record("not a scalar"); continue }
            #expect(text == value)
            guard case .sequence(let items) = entries[1].value, case .scalar(let first, _) = items[0].value else { Issue.record("no list"); continue }
            #expect(first == value)
        }
    }

    @Test func handsAnythingElseToTheFullParser() {
        #expect(SimpleYAMLReader.read("a:\n  b: c\n", firstLine: 1) == nil)
        #expect(SimpleYAMLReader.read("a: [1, 2]\n", firstLine: 1) == nil)
        #expect(SimpleYAMLReader.read("a: 'single'\n", firstLine: 1) == nil)
        #expect(SimpleYAMLReader.read("a: |\n  text\n", firstLine: 1) == nil)
        #expect(SimpleYAMLReader.read("a: x\na: y\n", firstLine: 1) == nil)
        #expect(SimpleYAMLReader.read("a: \"open\n", firstLine: 1) == nil)
        #expect(SimpleYAMLReader.read("a: x # comment\n", firstLine: 1) == nil)
    }

    @Test func keepsLineNumbers() throws {
        let entries = try #require(SimpleYAMLReader.read("# c\na: 1\n\nb:\n  - x\n  - y\n", firstLine: 2))
        #expect(entries.map(\.line) == [3, 5])
    }

    /// Random texts built from the pieces where a byte reader could part
    /// from a YAML parser (combining marks after a space, CR LF, NEL, LS,
    /// escapes, quotes, comments): whatever the fast reader accepts, the
    /// full parser reads the same, line numbers included.
    @Test func agreesWithTheFullParserOnRandomTexts() throws {
        let pieces = ["a", "x_1", ":", " ", "  ", "- ", "#", " #", "\"", "\\", "\\n", "\\u00e9", "\\u12", "\\/", "\n",
                      "\r", "\u{301}", "\u{85}", "\u{2028}", "\u{FEFF}", "é", "😀", "\t", "'", "[", "-", "1"]
        let lineStarts = ["key: ", "key:", "k2:  ", "tags:", "  - ", "- ", "# ", "", " ", "k\u{301}: ", "\u{301}: "]
        var generator = SeededGenerator(seed: 20261204)
        var accepted = 0
        for _ in 0..<20000 {
            let lines = (0..<Int.random(in: 1...4, using: &generator)).map { _ in
                lineStarts.randomElement(using: &generator)!
                    + (0..<Int.random(in: 0...4, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            }
            let text = lines.joined(separator: Bool.random(using: &generator) ? "\n" : "\r\n")
            guard let fast = SimpleYAMLReader.read(text, firstLine: 2) else { continue }
            accepted += 1
            let full = try? YAMLFields.parseWithYams(text, path: "t.yaml", firstLine: 2)
            #expect(full.map { describe($0.entries) } == describe(fast), "\(text.debugDescription)")
        }
        #expect(accepted > 1000)
    }

    private func describe(_ entries: [YAMLEntry]) -> String {
        entries.map { "\($0.key)@\($0.line ?? 0)=\(describe($0.value))" }.joined(separator: ";")
    }

    private func describe(_ value: YAMLValue) -> String {
        switch value {
        case .scalar(let text, let plain): return (plain ? "p" : "q") + text.unicodeScalars.map { String($0.value, radix: 16) }.joined(separator: ".")
        case .sequence(let items): return "[" + items.map { "\($0.line ?? 0):" + describe($0.value) }.joined(separator: ",") + "]"
        case .mapping(let entries): return "{" + describe(entries) + "}"
        }
    }
}
