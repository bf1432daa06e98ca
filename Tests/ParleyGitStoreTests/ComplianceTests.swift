import Foundation
import ParleyCore
import ParleyGitStore
import ParleyTestSupport
import Testing

/// A mailbox on one kind of store, a scripted gateway and the helpers the compliance tests share.
struct ComplianceFixture {
    let directory = TemporaryDirectory("compliance")
    let store: any MailboxStore
    let gateway = ScriptedGateway()

    init(_ kind: StoreKind) throws { store = try kind.make(in: directory) }

    static let welcome = "Hi Sarah, this is Bright Smile Dental. Reply STOP to opt out. - Bright Smile Dental"

    func mailbox(_ time: String = "2026-03-09T10:00:00-05:00", config: MailboxConfig = Fixtures.config) throws -> Mailbox {
        let clock = ParleyClock(fixed: Timestamp.parse(time)!)
        if try store.snapshot().read(MailboxLayout.configFile) == nil {
            return try Mailbox.initialize(store: store, config: config, skeleton: DefaultSkeleton.mailboxFiles, clock: clock, agent: Fixtures.agent)
        }
        return try Mailbox.open(store: store, clock: clock, agent: Fixtures.agent, location: "test")
    }

    func grant(_ number: PhoneNumber = Fixtures.sarah, _ mailbox: Mailbox) throws {
        try mailbox.consent.grant(number, name: "Sarah Lee",
            disclosure: "I agree to receive appointment texts from Bright Smile Dental. Reply STOP to opt out.",
                                 purpose: "appointment reminders", method: .webForm, source: "https://example.com/book", evidenceIP: "203.0.113.9")
    }

    /// Sends and expects a refusal by `rule`, with the repository unchanged.
    func expectRefusal(_ rule: ComplianceRule, _ mailbox: Mailbox, _ body: String = welcome, to number: PhoneNumber = Fixtures.sarah,
                       overrides: [ComplianceRule: String] = [:]) async throws -> String {
        let before = try store.history(touching: [], limit: nil).count
        do {
            _ = try await mailbox.sending.send(to: number, OutgoingMessage(body: body, overrides: overrides), via: gateway)
            Issue.record("expected a refusal by \(rule.rawValue)")
            return ""
        } catch {
            guard case .refused(let text) = error else { Issue.record("unexpected \(error)"); return "" }
            #expect(text.hasPrefix("refused by \(rule.rawValue): "), "\(text)")
            #expect(try store.history(touching: [], limit: nil).count == before)
            return text
        }
    }

}

/// The send gate and the consent ledger, end to end on each kind of store.
@Suite struct ComplianceTests {
    @Test(arguments: StoreKind.allCases) func noConsentMeansNoSendUnlessTheCustomerTextedFirst(_ kind: StoreKind) async throws {
        let fixture = try ComplianceFixture(kind)
        let text = try await fixture.expectRefusal(.consent, fixture.mailbox())
        #expect(text.contains("no consent on record for +13125550147"))
        #expect(text.contains("parley consent grant +13125550147"))
        _ = try await fixture.mailbox("2026-03-09T10:00:00-05:00").inbound.receive(from: Fixtures.sarah, body: "Hi, is Thursday open?", gateway: "sandbox")
        // Within 24 hours of their message a reply is allowed…
        let reply = try await fixture.mailbox("2026-03-09T11:00:00-05:00").sending.send(to: Fixtures.sarah, OutgoingMessage(body: ComplianceFixture.welcome),
            via: fixture.gateway)
        #expect(reply.verdicts.first { $0.rule == .consent }?.facts.contains("replying within 24 h") == true)
        // …but not a day later.
        _ = try await fixture.expectRefusal(.consent, fixture.mailbox("2026-03-10T11:00:00-05:00"), "Still there? - Bright Smile Dental")
    }

    @Test(arguments: StoreKind.allCases) func stopOptsOutInTheSameCommitAndStaysBlocked(_ kind: StoreKind) async throws {
        let fixture = try ComplianceFixture(kind)
        try fixture.grant(Fixtures.sarah, fixture.mailbox())
        let received = try await fixture.mailbox().inbound.receive(from: Fixtures.sarah, body: "Stop.", gateway: "sandbox", gatewayID: "SMstop1",
            replyVia: fixture.gateway)
        #expect(received.consentChange?.kind == .optedOut)
        #expect(received.reply?.body.contains("unsubscribed") == true)
        let history = try fixture.store.history(touching: [], limit: nil)
        // The receive commit plans the reply with the opt-out; the next one records what the gateway said.
        #expect(history[1].trailer(.consent) == "opted_out")
        #expect(history[1].trailer(.replyPlanned) == received.reply?.id)
        #expect(history[0].trailer(.action) == "auto-reply")
        #expect(try fixture.mailbox().outbox.entries().isEmpty)
        #expect(fixture.gateway.submissions.count == 1)

        // A second STOP records nothing new and is not answered again.
        let again = try await fixture.mailbox().inbound.receive(from: Fixtures.sarah, body: "STOP", gateway: "sandbox", gatewayID: "SMstop2",
            replyVia: fixture.gateway)
        #expect(again.consentChange == nil)
        #expect(fixture.gateway.submissions.count == 1)

        // Blocked after a "restart" (a new Mailbox on the same store)…
        let text = try await fixture.expectRefusal(.consent, fixture.mailbox("2026-03-09T12:00:00-05:00"), "Are you sure? - Bright Smile Dental")
        #expect(text.contains("opted out"))
        // …and after someone edits the conversation's files by hand.
        let path = try #require(fixture.store.snapshot().list(MailboxLayout.messagesDirectory(Fixtures.sarah))?.first { $0.name.contains("SMstop1") }).name
        let file = MailboxLayout.messagesDirectory(Fixtures.sarah) + "/" + path
        let edited = String(decoding: try fixture.store.snapshot().read(file)!, as: UTF8.self).replacingOccurrences(of: "Stop.", with: "Thanks!")
        _ = try fixture.store.commit { _ in
            return StoreChange(files: [file: Data(edited.utf8),
                MailboxLayout.contactPath(Fixtures.sarah): Contact(number: Fixtures.sarah, name: "S").fileData()],
                               message: "hand edit\n", author: Fixtures.agent, time: Date())
        }
        _ = try await fixture.expectRefusal(.consent, fixture.mailbox("2026-03-09T12:30:00-05:00"), "Hello? - Bright Smile Dental")
        // START lifts it, with one confirmation.
        let start = try await fixture.mailbox("2026-03-09T13:00:00-05:00").inbound.receive(from: Fixtures.sarah, body: "START", gateway: "sandbox",
            gatewayID: "SMstart", replyVia: fixture.gateway)
        #expect(start.consentChange?.kind == .optedIn)
        #expect(fixture.gateway.submissions.count == 2)
        _ = try await fixture.mailbox("2026-03-09T13:05:00-05:00").sending.send(to: Fixtures.sarah,
            OutgoingMessage(body: "Welcome back! - Bright Smile Dental"), via: fixture.gateway)
    }

    @Test(arguments: StoreKind.allCases) func aRevocationInPlainWordsHoldsSendsUntilReviewed(_ kind: StoreKind) async throws {
        let fixture = try ComplianceFixture(kind)
        try fixture.grant(Fixtures.sarah, fixture.mailbox())
        let received = try await fixture.mailbox().inbound.receive(from: Fixtures.sarah, body: "please stop texting me", gateway: "sandbox",
            replyVia: fixture.gateway)
        #expect(received.consentChange?.kind == .reviewOpened)
        #expect(fixture.gateway.submissions.isEmpty)  // no automatic reply to a possible revocation
        let text = try await fixture.expectRefusal(.review, fixture.mailbox("2026-03-09T11:00:00-05:00"))
        #expect(text.contains("parley review resolve +13125550147"))
        #expect(try fixture.mailbox().consent.openReviews().map(\.number) == [Fixtures.sarah])

        try fixture.mailbox("2026-03-09T11:10:00-05:00").consent.resolveReview(Fixtures.sarah, optOut: false, note: "They meant this week only")
        #expect(try fixture.mailbox().consent.openReviews().isEmpty)
        _ = try await fixture.mailbox("2026-03-09T11:20:00-05:00").sending.send(to: Fixtures.sarah, OutgoingMessage(body: ComplianceFixture.welcome),
            via: fixture.gateway)

        _ = try await fixture.mailbox("2026-03-09T11:30:00-05:00").inbound.receive(from: Fixtures.sarah, body: "Remove me from your list", gateway: "sandbox")
        try fixture.mailbox("2026-03-09T11:40:00-05:00").consent.resolveReview(Fixtures.sarah, optOut: true, note: nil)
        _ = try await fixture.expectRefusal(.consent, fixture.mailbox("2026-03-09T11:50:00-05:00"), "ok - Bright Smile Dental")
        #expect(throws: ParleyError.self) { try fixture.mailbox().consent.resolveReview(Fixtures.sarah, optOut: false, note: nil) }
    }

    @Test(arguments: StoreKind.allCases) func quietHoursRefuseWithTheFactsAndCanBeOverriddenWithAReason(_ kind: StoreKind) async throws {
        let fixture = try ComplianceFixture(kind)
        try fixture.grant(Fixtures.sarah, fixture.mailbox())
        let text = try await fixture.expectRefusal(.quietHours, fixture.mailbox("2026-03-09T21:14:00-05:00"))
        #expect(text.contains("21:14 in America/Chicago for +13125550147; allowed 08:00–21:00 (IL, federal rule)"))
        #expect(text.contains("2026-03-10T08:00:00-05:00"))
        let result = try await fixture.mailbox("2026-03-09T21:14:00-05:00").sending.send(
            to: Fixtures.sarah, OutgoingMessage(body: ComplianceFixture.welcome,
                overrides: [.quietHours: "Patient asked us to text tonight"]), via: fixture.gateway)
        #expect(result.message.overrides == [Override(rule: .quietHours, reason: "Patient asked us to text tonight")])
        #expect(try fixture.store.history(touching: [], limit: 1)[0].trailer(.override) == "quiet_hours: Patient asked us to text tonight")
    }

    @Test(arguments: StoreKind.allCases) func consentCanNeverBeOverridden(_ kind: StoreKind) async throws {
        let fixture = try ComplianceFixture(kind)
        _ = try await fixture.expectRefusal(.consent, fixture.mailbox(), overrides: [.consent: "please"])
    }

    @Test(arguments: StoreKind.allCases) func theFirstMessageMustNameTheBusinessAndTheWayOut(_ kind: StoreKind) async throws {
        let fixture = try ComplianceFixture(kind)
        try fixture.grant(Fixtures.sarah, fixture.mailbox())
        let text = try await fixture.expectRefusal(.firstContact, fixture.mailbox(), "Your crown is ready!")
        #expect(text.contains("the business name (Bright Smile Dental) and how to opt out"))
        _ = try await fixture.mailbox().sending.send(to: Fixtures.sarah, OutgoingMessage(body: ComplianceFixture.welcome), via: fixture.gateway)
        _ = try await fixture.mailbox().sending.send(to: Fixtures.sarah, OutgoingMessage(body: "Your crown is ready! - Bright Smile Dental"),
            via: fixture.gateway)
    }

    @Test(arguments: StoreKind.allCases) func toneErrorsBlockAndSegmentsAreLimited(_ kind: StoreKind) async throws {
        let fixture = try ComplianceFixture(kind)
        try fixture.grant(Fixtures.sarah, fixture.mailbox())
        let text = try await fixture.expectRefusal(.tone, fixture.mailbox(),
            "ACT NOW: click here bit.ly/x - Bright Smile Dental. Reply STOP to opt out.")
        #expect(text.contains("1:1: banned-phrase: 'act now'"))
        // Short links are the content rule's, checked after the tone guide's.
        let link = try await fixture.expectRefusal(.content, fixture.mailbox(), "See you soon: bit.ly/x - Bright Smile Dental. Reply STOP to opt out.")
        #expect(link.contains("links through bit.ly, a public shortener carriers filter"))
        let long = ComplianceFixture.welcome + " " + String(repeating: "Lorem ipsum dolor sit amet. ", count: 20)
        let segments = try await fixture.expectRefusal(.segments, fixture.mailbox(), long + "- Bright Smile Dental")
        #expect(segments.contains("the limit is 3"))
    }

    @Test(arguments: StoreKind.allCases) func dryRunShowsEveryRuleInOrder(_ kind: StoreKind) throws {
        let fixture = try ComplianceFixture(kind)
        let verdicts = try fixture.mailbox("2026-03-08T20:30:00-05:00").sending.check(Fixtures.sarah, OutgoingMessage(body: ComplianceFixture.welcome))
        #expect(verdicts.map(\.rule) == ComplianceRule.allCases)
        #expect(verdicts.first { $0.outcome == .failed }?.rule == .consent)
    }

    @Test(arguments: StoreKind.allCases) func templatesFillFromTheContactAndNameWhatIsMissing(_ kind: StoreKind) async throws {
        let fixture = try ComplianceFixture(kind)
        let mailbox = try fixture.mailbox()
        try mailbox.contacts.add(Contact(number: Fixtures.sarah, name: "Sarah Lee", timeZone: "America/Chicago"))
        let template = try mailbox.templates.template("appointment-reminder")
        #expect(template.requiredVariables == ["first_name", "date", "time", "business_name"])
        #expect(throws: ParleyError.invalidInput("template 'appointment-reminder' needs date (The day, with its weekday, e.g. Thursday 12 March), time (The time with am/pm, e.g. 3:30 pm): pass --set date=… --set time=…")) {
            try mailbox.templates.fill(template, for: Fixtures.sarah, setting: [:])
        }
        let text = try mailbox.templates.fill(template, for: Fixtures.sarah, setting: ["date": "Thursday 12 March", "time": "3:30 pm & later"])
        #expect(text == "Hi Sarah, a reminder of your appointment on Thursday 12 March at 3:30 pm & later. Reply YES to confirm or tell us if you need another time. - Bright Smile Dental")
        // The Git stores record which version of the template was used; the in-memory store has no blob ids.
        #expect((template.blobID == nil) == (kind == .memory))
    }

    @Test(arguments: StoreKind.allCases) func scheduledMessagesAreCheckedAgainWhenTheyGo(_ kind: StoreKind) async throws {
        let fixture = try ComplianceFixture(kind)
        try fixture.grant(Fixtures.sarah, fixture.mailbox())
        let night = try fixture.mailbox("2026-03-09T21:30:00-05:00")
        let next = try night.outbox.nextAllowedTime(for: Fixtures.sarah)
        #expect(next == Timestamp.parse("2026-03-10T08:00:00-05:00"))
        let entry = try night.outbox.schedule(to: Fixtures.sarah, OutgoingMessage(body: ComplianceFixture.welcome), at: next)
        #expect(try night.outbox.entries().map(\.id) == [entry.id])
        #expect(try await fixture.mailbox("2026-03-10T07:00:00-05:00").outbox.flush(via: fixture.gateway).isEmpty)  // not due yet
        // The customer opts out overnight: the flush refuses and keeps the entry.
        _ = try await fixture.mailbox("2026-03-09T23:00:00-05:00").inbound.receive(from: Fixtures.sarah, body: "STOP", gateway: "sandbox")
        let refused = try await fixture.mailbox("2026-03-10T08:01:00-05:00").outbox.flush(via: fixture.gateway)
        #expect(refused.count == 1)
        if case .success = refused[0].result { Issue.record("should have been refused") }
        #expect(try fixture.mailbox().outbox.entries().first?.note?.contains("refused by consent") == true)
        #expect(fixture.gateway.submissions.isEmpty)
        try fixture.mailbox().outbox.cancel(entry.id)
        #expect(try fixture.mailbox().outbox.entries().isEmpty)
    }

    @Test(arguments: StoreKind.allCases) func aDueScheduledMessageIsSentWithItsOwnIdAndLeavesTheOutbox(_ kind: StoreKind) async throws {
        let fixture = try ComplianceFixture(kind)
        try fixture.grant(Fixtures.sarah, fixture.mailbox())
        let night = try fixture.mailbox("2026-03-09T21:30:00-05:00")
        let entry = try night.outbox.schedule(to: Fixtures.sarah, OutgoingMessage(body: ComplianceFixture.welcome, template: night.templates.template("reschedule")),
            at: Timestamp.parse("2026-03-10T08:00:00-05:00")!)
        let sent = try await fixture.mailbox("2026-03-10T08:00:00-05:00").outbox.flush(via: fixture.gateway)
        #expect(try sent[0].result.get().message.id == entry.id)
        #expect(try fixture.mailbox().outbox.entries().isEmpty)
        #expect(try fixture.mailbox().conversations.conversation(Fixtures.sarah).messages.map(\.id) == [entry.id])
        // The outbox kept only the template's name; the send that opened the conversation still takes its use case.
        #expect(try fixture.mailbox().conversations.conversation(Fixtures.sarah).state.useCase == "appointments")
    }
}
