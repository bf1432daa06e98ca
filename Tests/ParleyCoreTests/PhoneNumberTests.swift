import ParleyCore
import Testing

@Suite struct PhoneNumberTests {
    @Test(arguments: [
        ("(555) 010-0123", "US", "+15550100123"),
        ("555.010.0123", "US", "+15550100123"),
        ("1 (312) 555-0147", "US", "+13125550147"),
        ("+1 312 555 0147", "GB", "+13125550147"),
        ("+44 20 7946 0958", "US", "+442079460958"),
        ("+44 (0)20 7946 0958", "US", "+442079460958"),
        ("020 7946 0958", "GB", "+442079460958"),
        ("00 44 20 7946 0958", "GB", "+442079460958"),
        ("011 44 20 7946 0958", "US", "+442079460958"),
        ("001 312 555 0147", "DE", "+13125550147"),
        ("(416) 555-0199", "US", "+14165550199"),
    ])
    func normalizesCommonForms(input: String, region: String, expected: String) throws {
        #expect(try PhoneNumber.parse(input, defaultRegion: region).e164 == expected)
    }

    @Test(arguments: ["", "   ", "555-CALL-NOW", "12345", "+999 1234 5678", "+1 (312) 555-01477", "3125550147+", "../../etc/passwd", "+1 312 555 0147; rm -rf"])
    func rejectsWhatIsNotANumber(input: String) {
        #expect(throws: PhoneNumberError.self) { try PhoneNumber.parse(input, defaultRegion: "US") }
    }

    @Test func errorsSayWhatIsWrong() {
        #expect(throws: PhoneNumberError.invalidForRegion("12345", region: "US", lengths: [10])) {
            try PhoneNumber.parse("12345", defaultRegion: "US")
        }
        do {
            _ = try PhoneNumber.parse("555-CALL", defaultRegion: "US")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("'C' is not allowed"))
        }
    }

    @Test func strictE164AcceptsOnlyNormalizedText() {
        #expect(PhoneNumber(e164: "+13125550147") != nil)
        #expect(PhoneNumber(e164: "13125550147") == nil)
        #expect(PhoneNumber(e164: "+1 312 555 0147") == nil)
        #expect(PhoneNumber(e164: "+1312555014") == nil)
    }

    @Test func formatsNorthAmericanNumbersForReading() throws {
        #expect(try PhoneNumber.parse("+13125550147").formatted == "+1 312-555-0147")
        #expect(try PhoneNumber.parse("+442079460958").formatted == "+44 2079460958")
        #expect(try PhoneNumber.parse("+13125550147").areaCode == 312)
    }
}
