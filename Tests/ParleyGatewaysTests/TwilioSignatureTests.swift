import Foundation
import ParleyGateways
import ParleyTestSupport
import Testing

@Suite struct TwilioSignatureTests {
    @Test func matchesTwilioDocumentationExample() {
        let parameters = [("CallSid", "CA1234567890ABCDE"), ("Caller", "+12349013030"), ("Digits", "1234"), ("From", "+12349013030"), ("To", "+18005551212")]
        let url = "https://mycompany.com/myapp.php?foo=1&bar=2"
        #expect(TwilioSignature.compute(url: url, parameters: parameters, authToken: "12345") == "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")
        #expect(TwilioSignature.isValid("0/KCTR6DLpKmkAf8muzZqo1nDgQ=", url: url, parameters: parameters, authToken: "12345"))
        #expect(!TwilioSignature.isValid("0/KCTR6DLpKmkAf8muzZqo1nDgQ=", url: url, parameters: parameters, authToken: "12346"))
        #expect(!TwilioSignature.isValid(nil, url: url, parameters: parameters, authToken: "12345"))
        #expect(!TwilioSignature.isValid("not base64!", url: url, parameters: parameters, authToken: "12345"))
    }

    @Test func acceptsTheUrlWithOrWithoutItsDefaultPort() {
        let signed = TwilioSignature.compute(url: "https://hooks.example.com:443/twilio/inbound", parameters: [("A", "1")], authToken: "t")
        #expect(TwilioSignature.isValid(signed, url: "https://hooks.example.com/twilio/inbound", parameters: [("A", "1")], authToken: "t"))
    }

    @Test(.enabled(if: Peers.shouldRun(Peers.hasTwilioPackage), "needs PyPI twilio (pip install twilio); .ci/run installs it"))
    func agreesWithTheOfficialValidator() throws {
        let cases: [[(String, String)]] = [
            [("Body", "Hello world"), ("From", "+13125550147"), ("To", "+13125550100"), ("MessageSid", "SM1")],
            [("Body", "1+1=2 & a+b; 50% off?"), ("From", "+13125550147")],
            [("Body", "Thanks 👍 — café"), ("From", "+13125550147")],
            [("MediaUrl0", "https://x/1"), ("Tag", "b"), ("Tag", "a"), ("Tag", "b")],
            [],
        ]
        for parameters in cases {
            let url = "https://hooks.brightsmile.example/twilio/inbound?source=test&x=1"
            let official = try Peers.twilioSignature(url: url, parameters: parameters, authToken: "secret-token")
            #expect(TwilioSignature.compute(url: url, parameters: parameters, authToken: "secret-token") == official)
        }
    }

    @Test func formDecodingTreatsPlusAsSpaceAndKeepsRepeats() {
        let decoded = FormEncoding.decode("Body=1%2B1+is+2&Tag=a&Tag=b&Empty=&Emoji=%F0%9F%91%8D")
        #expect(decoded.map(\.0) == ["Body", "Tag", "Tag", "Empty", "Emoji"])
        #expect(decoded[0].1 == "1+1 is 2")
        #expect(decoded[4].1 == "👍")
        #expect(FormEncoding.decode(FormEncoding.encode([("a b", "c+d&e=f")])).first! == ("a b", "c+d&e=f"))
    }
}
