import Foundation
@testable import ParleyCore
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
        #expect(kinds == [.card, .ssn])
        #expect(!text.contains("4111111111111111") && !text.contains("6789") && text.contains("[card ending 1881 removed]"))
    }
}
