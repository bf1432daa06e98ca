import Foundation
@testable import ParleyCore
import ParleyTestSupport
import Testing

@Suite struct SensitiveNumbersTests {
    @Test(arguments: [
        ("My card is 4111 1111 1111 1111, exp 09/28", "My card is [card ending 1111 removed], exp 09/28"),
        ("card 5500-0000-0000-0004 thanks", "card [card ending 0004 removed] thanks"),
        ("378282246310005", "[card ending 0005 removed]"),
        ("SSN 123-45-6789 for the insurance form", "SSN [SSN removed] for the insurance form"),
        ("it's 219 09 9999.", "it's [SSN removed]."),
    ])
    func cardsAndSocialSecurityNumbersAreReplaced(text: String, expected: String) {
        #expect(SensitiveNumbers.redact(text).text == expected)
    }

    @Test(arguments: [
        "Order 4111 1111 1111 1112 shipped",          // 16 digits, fails Luhn
        "Call me at (312) 555-0147 or +1 773 555 0161", // phone numbers
        "Booked for 2026-03-12 at 15:30",               // a date and a time
        "The balance is $1,234.56, ref 0042",           // an amount and a reference
        "SSN-shaped but 000-12-3456 and 666-12-3456 and 912-34-5678 are never issued",
        "123-45-678 is short, 1234-56-7890 is not the shape",
        "Tracking 1Z999AA10123456784",                  // digits inside an identifier
    ])
    func nearMissesAreLeftAlone(text: String) {
        #expect(SensitiveNumbers.find(text).isEmpty, "\(text)")
    }

    @Test func redactionSaysWhatKindsWereRemovedNeverTheNumbers() {
        let (text, kinds) = SensitiveNumbers.redact("4111111111111111 and 123-45-6789 and 4012888888881881")
        #expect(kinds == ["card", "ssn"])
        #expect(!text.contains("4111111111111111") && !text.contains("6789") && text.contains("[card ending 1881 removed]"))
    }

    @Test func theMailboxsOwnPatternsAreRemovedInboundAndRefusedOutbound() throws {
        let member = try RedactionPattern(name: "member_id", pattern: "\\bMB[0-9]{8}\\b", label: "member ID")
        let (text, removed) = SensitiveNumbers.redact("my id is MB12345678, card 4111 1111 1111 1111", patterns: [member])
        #expect(text == "my id is [member ID removed], card [card ending 1111 removed]")
        #expect(removed == ["card", "member_id"])
        #expect(SensitiveNumbers.redact("order MB1234 is ready", patterns: [member]).removed == [])
        #expect(SensitiveNumbers.refusal(for: "use MB87654321", patterns: [member]) == "a member ID (parley.yaml, redact: member_id)")
        let lint = Linter(guide: ToneGuide(), businessName: "Bright Smile Dental", redactions: [member]).lint("Your id: MB87654321")
        #expect(lint.contains { $0.rule == "sensitive-number" && $0.level == .error })
        #expect(throws: ParleyError.self) { try RedactionPattern(name: "bad", pattern: "([", label: "bad") }
    }

    @Test func parleyYAMLReadsRedactionsAndRetentionAndWritesThemBack() throws {
        var config = Fixtures.config
        config.redactions = [try RedactionPattern(name: "chart", pattern: "CH-[0-9]{6}", label: "chart number")]
        config.retention = .recommended
        let read = try MailboxConfig.parse(config.fileData())
        #expect(read.redactions == config.redactions)
        #expect(read.retention.messages?.description == "7y" && read.retention.consent?.description == "5y")
        #expect(read.fileData() == config.fileData())
        let bad = Data((String(decoding: config.fileData(), as: UTF8.self) + "").replacingOccurrences(of: "messages: 7y", with: "messages: 7 years").utf8)
        #expect(throws: ParleyError.self) { try MailboxConfig.parse(bad) }
    }
}
