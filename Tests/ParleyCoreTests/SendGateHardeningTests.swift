import Foundation
@testable import ParleyCore
import ParleyTestSupport
import Testing

/// The send gate's defects found in review; each test failed before its fix.
@Suite struct SendGateHardeningTests {
    let store = InMemoryStore()
    let gateway = ScriptedGateway()
    static let welcome = "Hi Sarah, this is Bright Smile Dental. Reply STOP to opt out. - Bright Smile Dental"

    func mailbox(_ time: String = "2026-03-09T10:00:00-05:00") throws -> Mailbox {
        let clock = ParleyClock(fixed: Timestamp.parse(time)!)
        if try store.snapshot().read(MailboxLayout.configFile) == nil {
            return try Mailbox.initialize(store: store, config: Fixtures.config, skeleton: DefaultSkeleton.mailboxFiles, clock: clock, agent: Fixtures.agent)
        }
        return try Mailbox.open(store: store, clock: clock, agent: Fixtures.agent, location: "test")
    }

    func location(_ number: String, contact: Contact? = nil) throws -> QuietHours.Location {
        QuietHours.Location.of(try PhoneNumber.parse(number), contact: contact, businessZone: TimeZone(identifier: "America/Chicago")!)
    }

    /// Every US and Canadian area code: a state or province, zones that
    /// belong to it, allowed at 15:00 Eastern on a Wednesday and refused at 03:00.
    @Test func everyNorthAmericanAreaCodeIsPlacedAndJudged() throws {
        let codes = PhoneMetadata.areaCodes.values.filter { ["US", "CA"].contains($0.region) }
        #expect(codes.count > 400)
        let afternoon = Timestamp.parse("2026-03-11T15:00:00-04:00")!, night = Timestamp.parse("2026-03-11T03:00:00-04:00")!
        for code in codes {
            #expect(!code.state.isEmpty, "\(code.code) has no state or province")
            #expect(!code.timeZones.isEmpty)
            #expect(Set(code.timeZones).isSubset(of: Set(PhoneMetadata.zonesByState[code.state] ?? [])), "\(code.code)")
            let number = try PhoneNumber.parse("+1\(code.code)5550100")
            let where_ = QuietHours.Location.of(number, contact: nil, businessZone: .current)
            #expect(where_.zones.count == code.timeZones.count)
            #expect(!QuietHours.evaluate(number, at: night, location: where_).allowed, "\(code.code) allowed at 03:00 Eastern")
            // Hawaii and Alaska are still before 08:00 at 15:00 Eastern in winter time; everywhere else it is allowed.
            if !["HI", "AK"].contains(code.state) && code.region == "US" && !["NT", "YT", "NU"].contains(code.state) {
                let verdict = QuietHours.evaluate(number, at: afternoon, location: where_)
                #expect(verdict.allowed || QuietHours.states[code.state] != nil, "\(code.code) refused at 15:00 Eastern: \(verdict.facts)")
            }
        }
    }

    @Test func overlayCodesSpanTheZonesOfTheCodesTheyOverlay() throws {
        for (overlay, parent) in [("458", "541"), ("364", "270"), ("448", "850"), ("986", "208"), ("930", "812")] {
            let overlayZones = Set(try location("+1\(overlay)5550100").zones.map(\.identifier))
            let parentZones = Set(try location("+1\(parent)5550100").zones.map(\.identifier))
            #expect(parentZones.isSubset(of: overlayZones), "\(overlay) lacks zones of \(parent)")
        }
        #expect(try location("+15645550100").state == "WA")
        // 08:30 in Louisville is 07:30 in Paducah: 364 may be either.
        let number = try PhoneNumber.parse("+13645550100")
        #expect(!QuietHours.evaluate(number, at: Timestamp.parse("2026-03-11T08:30:00-04:00")!, location: try location("+13645550100")).allowed)
    }

    @Test func internationalNumbersUseTheirCountrysZones() throws {
        let london = try location("+442079460958")
        #expect(london.zones.map(\.identifier) == ["Europe/London"])
        #expect(london.source == .numberMetadata)
        // 10:00 in Chicago is 16:00 in London (allowed); 16:00 in Chicago is 22:00 there (refused).
        let number = try PhoneNumber.parse("+442079460958")
        #expect(QuietHours.evaluate(number, at: Timestamp.parse("2026-03-09T10:00:00-05:00")!, location: london).allowed)
        #expect(!QuietHours.evaluate(number, at: Timestamp.parse("2026-03-09T16:00:00-05:00")!, location: london).allowed)
    }

    @Test func aContactsStateCountsWhenTheAreaCodeIsUnknown() throws {
        // 555 is not a geographic area code: before, the 12:00–21:00 Eastern fallback let 19:30 in Rhode Island through.
        let contact = Contact(number: try PhoneNumber.parse("+15555550100"), state: "RI")
        let where_ = try location("+15555550100", contact: contact)
        #expect(where_.state == "RI")
        #expect(where_.source == .contactState)
        let verdict = QuietHours.evaluate(contact.number, at: Timestamp.parse("2026-03-11T19:30:00-04:00")!, location: where_)
        #expect(!verdict.allowed)
        #expect(verdict.facts.contains("RI"))
    }

    @Test(arguments: [
        ("Hi from Bright Smile Dental. Reply STOP to opt out.", true),
        ("Bright Smile Dental: text STOP to unsubscribe", true),
        ("Bright Smile Dental here. To opt out, reply with the word END.", true),
        ("Bright Smile Dental: reply 'STOP' to end messages", true),
        ("Bright Smile Dental: we never stop to rest!", false),
        ("Bright Smile Dental: the bus stop to the office is on Main St", false),
        ("Bright Smile Dental: don't stop to ask, just come in", false),
        ("Bright Smile Dental: reply to confirm, stop by anytime", false),
        ("Hi, this is Bright Smile Dental. Reply HELP for help, STOP to opt out.", true),
    ])
    func firstContactNeedsAnOptOutInstruction(body: String, passes: Bool) throws {
        #expect(ComplianceGate.givesOptOutInstruction(body) == passes, "\(body)")
    }

    @Test func anOverrideLiftsTheToneGuidesLimitButNeverTheAbsoluteCap() async throws {
        let mailbox = try mailbox()
        try mailbox.consent.grant(Fixtures.sarah, name: "Sarah", disclosure: "I agree.", purpose: "reminders", method: .webForm, source: nil)
        let four = Self.welcome + " " + String(repeating: "Lorem ipsum dolor sit amet. ", count: 18)
        let eleven = Self.welcome + " " + String(repeating: "Lorem ipsum dolor sit amet. ", count: 56)
        #expect(SegmentCount(four).segments == 4)
        #expect(SegmentCount(eleven).segments == 11)
        let lifted = try mailbox.sending.check(Fixtures.sarah, OutgoingMessage(body: four, overrides: [.segments: "detailed instructions"]))
        #expect(lifted.first { $0.rule == .segments }?.outcome == .overridden)
        let capped = try mailbox.sending.check(Fixtures.sarah, OutgoingMessage(body: eleven, overrides: [.segments: "detailed instructions"]))
        let verdict = try #require(capped.first { $0.rule == .segments })
        #expect(verdict.outcome == .failed)
        #expect(verdict.facts.contains("absolute cap of 10"))
    }

    @Test func everySendRecordsItsVerdictInTheCommit() async throws {
        let mailbox = try mailbox()
        try mailbox.contacts.add(Contact(number: Fixtures.sarah, name: "Sarah Lee", timeZone: "America/Chicago", state: "IL"))
        try mailbox.consent.grant(Fixtures.sarah, name: "Sarah", disclosure: "I agree.", purpose: "reminders", method: .webForm, source: nil)
        _ = try await mailbox.sending.send(to: Fixtures.sarah, OutgoingMessage(body: Self.welcome, overrides: [.tone: "not used"]), via: gateway)
        let commit = try #require(try store.history(touching: [], limit: 1).first)
        #expect(commit.trailer(.rules) == RulesVersion.current)
        #expect(commit.trailer(.consent)?.hasPrefix("record conversations/47/+13125550147/consent/") == true)
        #expect(commit.trailer(.quietHours) == "America/Chicago 2026-03-09T10:00:00-05:00; state IL; rule federal; from contact record")
        #expect(commit.trailer(.firstContact) == "yes, names the business and says how to opt out")
        #expect(commit.trailer(.segments) == "1 GSM-7 (83 units), limit 3")

        // A reply inside the window names the message that opened it.
        let tom = Fixtures.tom
        _ = try await mailbox.inbound.receive(from: tom, body: "Hi, is this the dentist?", gateway: "sandbox", gatewayID: "SMtom")
        _ = try await mailbox.sending.send(to: tom, OutgoingMessage(body: "Yes! This is Bright Smile Dental. Reply STOP to opt out."), via: gateway)
        let reply = try #require(try store.history(touching: [], limit: 1).first)
        #expect(reply.trailer(.consent)?.hasPrefix("reply-window 24h after inbound SMtom at ") == true)
        #expect(reply.trailer(.quietHours)?.contains("from area code") == true)
    }

    @Test func refusalsSayWhatAPersonNeedsToKnow() async throws {
        let late = try mailbox("2026-03-09T21:30:00-05:00")
        try late.consent.grant(Fixtures.sarah, name: "Sarah", disclosure: "I agree.", purpose: "reminders", method: .webForm, source: nil)
        let verdicts = try late.sending.check(Fixtures.sarah, OutgoingMessage(body: Self.welcome))
        let quiet = try #require(verdicts.first { $0.rule == .quietHours })
        #expect(quiet.wayOut?.contains("2026-03-10T08:00:00-05:00 in America/Chicago") == true, "\(quiet.wayOut ?? "")")

        // A code listed with zones that read the same clock names that clock once.
        let nevada = try PhoneNumber.parse("+17755550100")
        let facts = QuietHours.evaluate(nevada, at: Timestamp.parse("2026-03-09T23:30:00-05:00")!, location: try location("+17755550100")).facts
        #expect(facts.components(separatedBy: "; allowed").count - 1 == Set(try location("+17755550100").zones.map { $0.secondsFromGMT() }).count, "\(facts)")

        // An expired reply window is named, with when it ended.
        let tom = Fixtures.tom
        _ = try await late.inbound.receive(from: tom, body: "Hi there", gateway: "sandbox", gatewayID: "SMold")
        let later = try mailbox("2026-03-11T10:00:00-05:00")
        let consent = try #require(try later.sending.check(tom, OutgoingMessage(body: Self.welcome)).first { $0.rule == .consent })
        #expect(consent.facts.contains("reply window opened by their message of 2026-03-09T21:30:00-05:00 closed at 2026-03-10T21:30:00-05:00"), "\(consent.facts)")

        // The encoding hint never claims a saving that is not there.
        let findings = Linter(guide: ToneGuide(), businessName: "Bright Smile Dental").lint("It’s ready — Bright Smile Dental")
        #expect(!findings.contains { $0.message.contains("1 segment instead of 1") || $0.message.contains("segments instead of 1") })
    }
}
