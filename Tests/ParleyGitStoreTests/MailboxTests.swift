import Foundation
import ParleyCore
import ParleyGitStore
import ParleyTestSupport
import Testing

/// The stores every Mailbox test runs on: the same operations must give the
/// same results in memory, in a person's clone and in a server's bare repository.
enum StoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case memory, workTree, bare
    var testDescription: String { rawValue }

    func make(in directory: TemporaryDirectory) throws -> any MailboxStore {
        switch self {
        case .memory: return InMemoryStore()
        case .workTree: return try GitMailboxStore.create(at: directory.path)
        case .bare: return try GitMailboxStore.create(at: directory.path, bare: true)
        }
    }
}

/// Mailbox operations end to end, on each kind of store.
struct MailboxFixture {
    let directory = TemporaryDirectory("mailbox")
    let store: any MailboxStore

    init(_ kind: StoreKind) throws { store = try kind.make(in: directory) }

    func mailbox(at date: Date = Fixtures.monday, agent: Agent = Fixtures.agent) throws -> Mailbox {
        if try store.snapshot().read(MailboxLayout.configFile) == nil {
            _ = try Mailbox.initialize(store: store, config: Fixtures.config, skeleton: DefaultSkeleton.mailboxFiles, clock: Fixtures.clock(date),
                agent: agent)
        }
        return try Mailbox.open(store: store, clock: Fixtures.clock(date), agent: agent, location: "test")
    }

    func grant(_ number: PhoneNumber, at date: Date = Fixtures.monday) throws {
        try mailbox(at: date).consent.grant(number, name: nil,
            disclosure: "I agree to receive appointment texts from Bright Smile Dental. Reply STOP to opt out.",
                                           purpose: "appointments", method: .webForm, source: "https://example.com/book")
    }
}

@Suite struct MailboxTests {
    static let firstMessage = "Hi Sarah, this is Bright Smile Dental. Reply STOP to opt out."

    @Test(arguments: StoreKind.allCases) func initRefusesToClobberAMailbox(_ kind: StoreKind) throws {
        let fixture = try MailboxFixture(kind)
        _ = try fixture.mailbox()
        #expect(throws: ParleyError.self) {
            try Mailbox.initialize(store: fixture.store, config: Fixtures.config, skeleton: [:], clock: Fixtures.clock(), agent: Fixtures.agent)
        }
        #expect(try fixture.store.snapshot().read("tone.md") != nil)
        #expect(try fixture.store.snapshot().read("templates/welcome.md") != nil)
    }

    @Test(arguments: StoreKind.allCases) func aSendCommitsTheMessageWithItsReceiptInOneCommit(_ kind: StoreKind) async throws {
        let fixture = try MailboxFixture(kind)
        let gateway = ScriptedGateway(answers: [.success(SubmissionReceipt(
            gatewayID: "GW1", status: .queued, segments: 1, price: "-0.0079", priceUnit: "USD", raw: "{\"sid\":\"GW1\"}",
            laterReports: [DeliveryReport(status: .delivered, time: Fixtures.monday.addingTimeInterval(3))]))])
        try fixture.grant(Fixtures.sarah)
        let before = try fixture.store.history(touching: [], limit: nil).count
        let result = try await fixture.mailbox().sending.send(to: Fixtures.sarah, OutgoingMessage(body: Self.firstMessage), via: gateway)
        #expect(result.status == .delivered)
        #expect(gateway.submissions.first?.id == result.message.id)
        let history = try fixture.store.history(touching: [], limit: nil)
        #expect(history.count == before + 1)
        #expect(history[0].trailer(.messageID) == result.message.id)
        #expect(history[0].trailer(.receipt) == "GW1")
        #expect(history[0].authorName == "Dana Ruiz")
        let conversation = try fixture.mailbox().conversations.conversation(Fixtures.sarah)
        #expect(conversation.messages.map(\.body) == [Self.firstMessage])
        #expect(conversation.messages[0].gatewayID == "GW1")
        #expect(conversation.deliveries[result.message.id]?.map(\.status) == [.queued, .delivered])
        #expect(conversation.deliveries[result.message.id]?.first?.raw == "{\"sid\":\"GW1\"}")
    }

    @Test(arguments: StoreKind.allCases) func aRefusedSendIsRecordedAsFailedAndAnUnavailableGatewayWritesNothing(_ kind: StoreKind) async throws {
        let fixture = try MailboxFixture(kind)
        let gateway = ScriptedGateway(answers: [
            .failure(.rejected(code: "21211", message: "invalid number", raw: "{}")),
        ] + Array(repeating: .failure(.unavailable(message: "503", retryAfter: nil)), count: 1 + Sending.retryDelays.count))
        try fixture.grant(Fixtures.sarah)
        try fixture.grant(Fixtures.tom)
        let first = try await fixture.mailbox().sending.send(to: Fixtures.sarah, OutgoingMessage(body: Self.firstMessage), via: gateway)
        #expect(first.status == .failed)
        #expect(first.rejection != nil)
        let before = try fixture.store.history(touching: [], limit: nil).count
        await #expect(throws: ParleyError.self) { try await fixture.mailbox().sending.send(to: Fixtures.tom, OutgoingMessage(body: Self.firstMessage),
            via: gateway) }
        #expect(try fixture.store.history(touching: [], limit: nil).count == before)
        #expect(try Conversation.load(Fixtures.tom, from: fixture.store.snapshot())?.messages.isEmpty == true)
        #expect(gateway.submissions.count == 2 + Sending.retryDelays.count)
    }

    @Test(arguments: StoreKind.allCases) func emptyOrHugeBodiesAreRefusedBeforeTheGateway(_ kind: StoreKind) async throws {
        let fixture = try MailboxFixture(kind)
        let gateway = ScriptedGateway()
        await #expect(throws: ParleyError.self) { try await fixture.mailbox().sending.send(to: Fixtures.sarah, OutgoingMessage(body: "  \n"), via: gateway) }
        await #expect(throws: ParleyError.self) { try await fixture.mailbox().sending.send(to: Fixtures.sarah,
            OutgoingMessage(body: String(repeating: "x", count: 1601)), via: gateway) }
        #expect(gateway.submissions.isEmpty)
    }

    @Test(arguments: StoreKind.allCases) func receivingTheSameGatewayMessageTwiceCommitsOnce(_ kind: StoreKind) async throws {
        let fixture = try MailboxFixture(kind)
        let mailbox = try fixture.mailbox()
        let first = try await mailbox.inbound.receive(from: Fixtures.sarah, body: "Hello", gateway: "twilio", gatewayID: "SM1")
        let again = try await Mailbox.open(store: fixture.store, clock: Fixtures.clock(Fixtures.monday.addingTimeInterval(60)),
            agent: Fixtures.agent, location: "t")
            .inbound.receive(from: Fixtures.sarah, body: "Hello", gateway: "twilio", gatewayID: "SM1")
        #expect(!first.isDuplicate)
        #expect(again.isDuplicate)
        #expect(try mailbox.conversations.conversation(Fixtures.sarah).messages.count == 1)
        await #expect(throws: ParleyError.self) { try await mailbox.inbound.receive(from: Fixtures.sarah, body: "x", gateway: "t", gatewayID: "../etc") }
    }

    @Test(arguments: StoreKind.allCases) func triageEventsFoldIntoState(_ kind: StoreKind) async throws {
        let fixture = try MailboxFixture(kind)
        let mailbox = try fixture.mailbox()
        #expect(throws: ParleyError.self) { try mailbox.triage.assign(Fixtures.sarah, to: "sam") }
        _ = try await mailbox.inbound.receive(from: Fixtures.sarah, body: "Hi", gateway: "sandbox")
        guard case .changed(_, let state) = try mailbox.triage.assign(Fixtures.sarah, to: "sam") else { Issue.record("not changed"); return }
        #expect(state.assignee == "sam")
        #expect(try mailbox.triage.assign(Fixtures.sarah, to: "sam") == .unchanged(state))
        _ = try mailbox.triage.tag(Fixtures.sarah, add: ["Billing", "urgent"])
        _ = try mailbox.triage.untag(Fixtures.sarah, remove: ["urgent"])
        _ = try mailbox.triage.close(Fixtures.sarah, note: "done")
        let after = try mailbox.conversations.conversation(Fixtures.sarah).state
        #expect(after.tags == ["billing"])
        #expect(!after.isOpen)
        #expect(throws: ParleyError.self) { try mailbox.triage.tag(Fixtures.sarah, add: ["no spaces"]) }
    }

    @Test(arguments: StoreKind.allCases) func aConversationTakesItsUseCaseFromTheOpeningTemplateAndClosesWithAnOutcome(_ kind: StoreKind) async throws {
        let fixture = try MailboxFixture(kind)
        try fixture.grant(Fixtures.sarah)
        let mailbox = try fixture.mailbox()
        let reminder = try mailbox.templates.template("appointment-reminder")
        let body = "Hi Sarah, a reminder of your appointment on Thursday at 3 pm. Reply YES to confirm, STOP to opt out. - Bright Smile Dental"
        _ = try await mailbox.sending.send(to: Fixtures.sarah, OutgoingMessage(body: body, template: reminder), via: ScriptedGateway())
        #expect(try mailbox.conversations.conversation(Fixtures.sarah).state.useCase == "appointments")
        // A later template of another use case does not change it: it did not open the conversation.
        _ = try await mailbox.sending.send(to: Fixtures.sarah, OutgoingMessage(body: body, template: try mailbox.templates.template("follow-up")),
                                   via: ScriptedGateway())
        #expect(try mailbox.conversations.conversation(Fixtures.sarah).state.useCase == "appointments")

        #expect(throws: ParleyError.invalidInput("'won' is not an outcome of appointments: use one of confirmed, rescheduled, cancelled, attended, no-show")) {
            try mailbox.triage.close(Fixtures.sarah, outcome: "won")
        }
        #expect(throws: ParleyError.self) { try mailbox.triage.setUseCase(Fixtures.sarah, to: "gardening") }
        guard case .changed(_, let closed) = try mailbox.triage.close(Fixtures.sarah, outcome: "confirmed") else { Issue.record("not closed"); return }
        #expect(closed.outcome == "confirmed" && !closed.isOpen)
        // Closing again with another outcome corrects it; the same outcome changes nothing.
        #expect(try mailbox.triage.close(Fixtures.sarah, outcome: "confirmed") == .unchanged(closed))
        guard case .changed(_, let corrected) = try mailbox.triage.close(Fixtures.sarah, outcome: "rescheduled") else { Issue.record("unchanged"); return }
        #expect(corrected.outcome == "rescheduled")
        // An inbound message reopens it and clears the outcome; the use case stays.
        let later = try fixture.mailbox(at: Fixtures.monday.addingTimeInterval(600))
        _ = try await later.inbound.receive(from: Fixtures.sarah, body: "Can we move it again?", gateway: "sandbox")
        let reopened = try later.conversations.conversation(Fixtures.sarah).state
        #expect(reopened.isOpen && reopened.outcome == nil && reopened.useCase == "appointments")
        _ = try later.triage.setUseCase(Fixtures.sarah, to: "sales")
        _ = try later.triage.close(Fixtures.sarah, outcome: "won")
        #expect(try later.conversations.conversation(Fixtures.sarah).state.outcome == "won")
    }

    @Test(arguments: StoreKind.allCases) func aCardNumberTextedInNeverReachesTheRepositoryAndNoneIsSent(_ kind: StoreKind) async throws {
        let fixture = try MailboxFixture(kind)
        let mailbox = try fixture.mailbox()
        _ = try await mailbox.inbound.receive(from: Fixtures.sarah, body: "Pay with 4111 1111 1111 1111 please, SSN 123-45-6789", gateway: "sandbox",
                                      gatewayID: "SMCARD1")
        let stored = try mailbox.conversations.conversation(Fixtures.sarah).messages[0]
        #expect(stored.body == "Pay with [card ending 1111 removed] please, SSN [SSN removed]")
        #expect(stored.redacted == ["card", "ssn"])
        if kind != .memory {
            let history = try Shell.git(["log", "-p", "--all"], in: fixture.directory.path).standardOutput
            #expect(history.contains("[card ending 1111 removed]") && !history.contains("4111 1111") && !history.contains("123-45-6789"))
        }
        try fixture.grant(Fixtures.sarah)
        let before = try fixture.store.history(touching: [], limit: nil).count
        await #expect(throws: ParleyError.self) {
            try await mailbox.sending.send(to: Fixtures.sarah, OutgoingMessage(body: "Your card 4111-1111-1111-1111 is on file. Reply STOP to opt out.",
                                                                       overrides: [.tone: "testing"]), via: ScriptedGateway())
        }
        #expect(try fixture.store.history(touching: [], limit: nil).count == before)
    }

    @Test(arguments: StoreKind.allCases) func inboxPutsTheLongestWaitingCustomerFirst(_ kind: StoreKind) async throws {
        let fixture = try MailboxFixture(kind)
        let start = Fixtures.monday
        func at(_ minutes: Double) throws -> Mailbox { try fixture.mailbox(at: start.addingTimeInterval(minutes * 60)) }
        let tom = Fixtures.tom, sarah = Fixtures.sarah, lee = try PhoneNumber.parse("+13125550111")
        _ = try await at(0).inbound.receive(from: sarah, body: "first question", gateway: "sandbox")
        _ = try await at(5).inbound.receive(from: tom, body: "tom asks", gateway: "sandbox")
        _ = try await at(6).inbound.receive(from: sarah, body: "second question", gateway: "sandbox")
        try fixture.grant(lee)
        _ = try await at(7).sending.send(to: lee, OutgoingMessage(body: Self.firstMessage), via: ScriptedGateway())
        _ = try await at(8).inbound.receive(from: try PhoneNumber.parse("+13125550122"), body: "closed one", gateway: "sandbox")
        _ = try at(9).triage.close(try PhoneNumber.parse("+13125550122"))
        _ = try at(9).triage.assign(tom, to: "dana")

        let inbox = try at(60).conversations.inbox()
        #expect(inbox.entries.map(\.summary.number) == [sarah, tom, lee])
        #expect(inbox.entries.map(\.waiting) == [.customer, .customer, .us])
        #expect(inbox.entries[0].seconds == 3600)  // waiting since the *first* unanswered message
        #expect(inbox.entries[0].summary.lastMessage?.preview == "second question")
        #expect(try at(60).conversations.inbox(InboxFilter(onlyMine: true)).entries.map(\.summary.number) == [tom])
        #expect(try at(60).conversations.inbox(InboxFilter(onlyUnassigned: true)).entries.count == 2)
        #expect(try at(60).conversations.inbox(InboxFilter(onlyCustomerWaiting: true)).entries.count == 2)
        #expect(try at(60).conversations.inbox(InboxFilter(includeClosed: true)).entries.count == 4)
        // The summary read from the newest files equals the one from the whole conversation.
        for number in [tom, sarah, lee, try PhoneNumber.parse("+13125550122")] {
            let full = ConversationSummary(try at(60).conversations.conversation(number))
            #expect(try ConversationSummary.load(number, from: fixture.store.snapshot()) == full)
        }
    }
}
