import Foundation
@testable import ParleyCore
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
}
