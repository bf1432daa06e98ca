import Foundation
import ParleyCore
import ParleyTestSupport
import Testing

/// Before a first text Parley asks the provider what kind of line the
/// number is (Twilio Lookup v2, Telnyx number lookup: REST fakes on
/// loopback), once, keeps the answer as a contact fact and refuses a
/// landline; the sandbox offers no lookup and none is made.
@Suite(.serialized) struct LineTypeLookupTests {
    let directory = TemporaryDirectory("lookup-e2e")
    let welcome = "Hi, this is Bright Smile Dental. Reply STOP to opt out. - Bright Smile Dental"

    func mailbox(_ name: String, gateway: String) throws -> String {
        let repo = try ParleyBinary.initMailbox(in: directory, name: name)
        let config = try String(contentsOfFile: repo + "/parley.yaml", encoding: .utf8)
        try config.replacingOccurrences(of: "provider: sandbox", with: gateway).write(toFile: repo + "/parley.yaml", atomically: true, encoding: .utf8)
        try Shell.git(["commit", "-qam", "Switch gateway"], in: repo)
        for number in ["3125550147", "3125550123"] { try ParleyBinary.grantConsent(number, in: repo) }
        return repo
    }

    func expectLandlineRefused(_ repo: String, environment: [String: String], source: String) throws {
        let refused = try ParleyBinary.run(["send", "3125550123", "--body", welcome], in: repo, environment: environment)
        #expect(refused.status == 3, "\(refused.standardError)")
        #expect(refused.standardError.contains("refused by reachable: +13125550123 is a landline (\(source), carrier AT&T Wireline on "))
        #expect(refused.standardError.contains("a first text would never arrive"))
        let contact = try ParleyBinary.run(["contact", "show", "3125550123", "--json"], in: repo, environment: environment)
        #expect(contact.standardOutput.contains("\"lineType\" : \"landline\""), "\(contact.standardOutput)")
        let again = try ParleyBinary.run(["send", "3125550123", "--body", welcome], in: repo, environment: environment)
        #expect(again.status == 3)
        let mobile = try ParleyBinary.run(["send", "3125550147", "--body", welcome], in: repo, environment: environment)
        #expect(mobile.status == 0, "\(mobile.standardError)")
        #expect(try ParleyBinary.run(["send", "3125550147", "--body", "See you soon. - Bright Smile Dental"], in: repo, environment: environment)
            .status == 0)
    }

    @Test func twilioLookupRefusesALandlineOnceLookedUp() async throws {
        let fake = TwilioFake()
        try await fake.start()
        defer { fake.stop() }
        fake.lineType("landline", for: "+13125550123")
        let repo = try mailbox("twilio", gateway: """
            provider: twilio
              account_sid: \(fake.accountSID)
              api_base_url: \(fake.baseURL)
              lookup_base_url: \(fake.baseURL)
            """)
        try expectLandlineRefused(repo, environment: ["PARLEY_TWILIO_AUTH_TOKEN": fake.authToken], source: "twilio lookup v2")
        #expect(fake.lookups == 2, "one lookup a number, before its first text only")
        #expect(fake.created.map(\.to) == ["+13125550147", "+13125550147"])
    }

    @Test func telnyxLookupRefusesAFixedLine() async throws {
        let fake = TelnyxFake()
        try await fake.start()
        defer { fake.stop() }
        fake.lineType("fixed line", for: "+13125550123")
        let repo = try mailbox("telnyx", gateway: """
            provider: telnyx
              api_base_url: \(fake.baseURL)
            """)
        try expectLandlineRefused(repo, environment: ["PARLEY_TELNYX_API_KEY": fake.apiKey], source: "telnyx number lookup")
        #expect(fake.created.count == 2)
    }

    @Test func theSandboxOffersNoLookup() throws {
        let repo = try mailbox("sandbox", gateway: "provider: sandbox")
        #expect(try ParleyBinary.run(["send", "3125550123", "--body", welcome], in: repo).status == 0)
        let contact = try ParleyBinary.run(["contact", "show", "3125550123", "--json"], in: repo)
        #expect(!contact.standardOutput.contains("lineType"))
    }
}
