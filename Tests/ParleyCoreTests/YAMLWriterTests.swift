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
