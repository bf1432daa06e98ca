import Foundation
@testable import ParleyCore
import ParleyGitStore
import ParleyIndex
import ParleyTestSupport
import PropertyBased
import Testing

/// One rule engine: over random histories (grants, inbound texts, STOP and
/// START, possible revocations and their review, sends through the gate),
/// sends written straight onto the records branch—as an older or buggy
/// sender would—are flagged by `parley audit` exactly when, and by exactly
/// the rules by which, `send --dry-run` refused them at that moment; no send
/// the gate let through is flagged.
@Suite struct AuditReplaysTheGateTests {
    /// Chicago (IL: 8–21) and Miami (FL: 8–20), so quiet hours differ by state.
    static let numbers = [Fixtures.sarah, try! PhoneNumber.parse("+13055550142")]
    static let bodies = [
        "Hi from Bright Smile Dental. Reply STOP to opt out.", "Your crown is ready.", "See you Thursday - Bright Smile Dental",
        "Reply STOP to opt out: your appointment moved to 3 pm.", "Your new times: bit.ly/bsd-times",
        "Wine and cheese at our open house Friday!", "Your cleaning is booked. - Acme Dental",
    ]
    static let histories = Gen.uint64(in: 0...UInt64(UInt32.max)).array(of: 1...50)

    /// What one history did: the sends injected with the rules the gate refused them by, and the sends the gate allowed.
    struct Outcome {
        var injected: [String: Set<ComplianceRule>] = [:]
        var gated: Set<String> = []
    }

    func step(_ mailbox: Mailbox, _ generator: inout SeededGenerator, into outcome: inout Outcome) async throws {
        let number = Self.numbers.randomElement(using: &generator)!
        switch Int.random(in: 0..<12, using: &generator) {
        case 0:
            try mailbox.consent.grant(number, name: nil, disclosure: "I agree to texts.", purpose: "reminders", method: .webForm, source: nil)
        case 1: _ = try await mailbox.inbound.receive(from: number, body: "Can I come Thursday?", gateway: "sandbox")
        case 2: _ = try await mailbox.inbound.receive(from: number, body: "STOP", gateway: "sandbox")
        case 3: _ = try await mailbox.inbound.receive(from: number, body: "START", gateway: "sandbox")
        case 4: _ = try await mailbox.inbound.receive(from: number, body: "please stop texting me", gateway: "sandbox")
        case 5: _ = try? mailbox.consent.resolveReview(number, optOut: Bool.random(using: &generator), note: "decided")
        case 7: try markUnreachable(number, in: mailbox)
        case 8: _ = try mailbox.triage.markReachable(number, reason: "the customer confirmed the number")
        case 9 where Bool.random(using: &generator):
            _ = try mailbox.contacts.recordLineType(number, LineTypeResult(lineType: .landline, carrier: nil, source: "a test lookup"))
        case 6:
            if let sent = try? await mailbox.sending.send(to: number, outgoing(&generator), via: ScriptedGateway()) { outcome.gated.insert(sent.message.id) }
        default:
            let message = outgoing(&generator)
            let refusedBy = try mailbox.sending.check(number, message).filter { $0.outcome == .failed }.map(\.rule)
            let id = try inject(message, to: number, in: mailbox)
            outcome.injected[id] = Set(refusedBy).intersection(ComplianceGate.replayedRules)
        }
    }

    func outgoing(_ generator: inout SeededGenerator) -> OutgoingMessage {
        let overrides: [ComplianceRule: String] = Bool.random(using: &generator) ? [:]
            : [[ComplianceRule.quietHours, .firstContact].randomElement(using: &generator)!: "the customer asked for it"]
        return OutgoingMessage(body: Self.bodies.randomElement(using: &generator)!, overrides: overrides)
    }

    /// Marks the number as a carrier's permanent error would.
    func markUnreachable(_ number: PhoneNumber, in mailbox: Mailbox) throws {
        let now = mailbox.clock.now()
        let event = ConversationEvent(id: ULID.after(nil, time: now).string, kind: .unreachable, time: now, by: Agent.systemHandle,
                                      note: "twilio error 30005: the number does not exist")
        _ = try mailbox.store.commit { _ in
            StoreChange(files: [MailboxLayout.eventPath(number, time: now, id: event.id): event.fileData()],
                        message: CommitMessage(subject: "Mark \(number.e164) unreachable", action: .ingest, trailers: []).text,
                        author: Fixtures.agent, time: now)
        }
    }

    /// Writes a send onto the records branch without asking the gate, with the trailers an older Parley wrote.
    func inject(_ outgoing: OutgoingMessage, to number: PhoneNumber, in mailbox: Mailbox) throws -> String {
        let now = mailbox.clock.now()
        let id = try mailbox.nextMessageID(with: number, in: mailbox.store.snapshot(), at: now)
        var message = Message(id: id, direction: .outbound, time: now, from: Fixtures.business, to: number, agent: "pat", gateway: "sandbox",
                              gatewayID: "SB\(id)", status: .sent, segments: 1, encoding: "GSM-7", body: outgoing.body)
        message.overrides = outgoing.overrides.map { Override(rule: $0.key, reason: $0.value) }
        _ = try mailbox.store.commit { _ in
            StoreChange(files: [MailboxLayout.messagePath(number, time: now, id: id): message.fileData()],
                        message: CommitMessage(subject: "Send message to \(number.e164)",
                                               action: .send, trailers: [(.number, number.e164), (.messageID, id)]).text,
                        author: Fixtures.agent, time: now)
        }
        return id
    }

    /// Plays one history of `steps` and checks the property on it; returns what it did.
    @discardableResult
    func play(_ steps: [UInt64], kind: String) async throws -> Outcome {
        let directory = TemporaryDirectory("audit-gate")
        let store: any MailboxStore = kind == "git" ? try GitMailboxStore.create(at: directory.path) : InMemoryStore()
        var clock = Fixtures.monday
        var mailbox = try Mailbox.initialize(store: store, config: Fixtures.config, skeleton: DefaultSkeleton.mailboxFiles,
                                             clock: ParleyClock(fixed: clock), agent: Fixtures.agent)
        var outcome = Outcome()
        for seed in steps {
            var generator = SeededGenerator(seed: seed)
            // Up to eight hours a step: quiet hours and the 24 h reply window both come and go; every other step is under
            // half an hour, so Florida's three texts a day are reached too.
            let longest = Bool.random(using: &generator) ? 1_800 : 28_800
            clock.addTimeInterval(Double(Int.random(in: 60...longest, using: &generator)))
            mailbox = Mailbox(store: store, config: mailbox.config, clock: ParleyClock(fixed: clock), agent: Fixtures.agent)
            try await step(mailbox, &generator, into: &outcome)
        }
        let report = try Auditor.audit(mailbox, since: nil, until: nil)
        #expect(report.unreadable == [])
        for (id, refused) in outcome.injected {
            let flagged = Set(report.findings.filter { $0.message == id }.map(\.rule))
            #expect(flagged == Set(refused.map(AuditFinding.Rule.gate)), "injected \(id)")
        }
        #expect(report.findings.allSatisfy { $0.message.map { outcome.injected[$0] != nil } ?? false },
                "only injected sends are flagged: \(report.findings.filter { !outcome.injected.keys.contains($0.message ?? "") })")
        #expect(outcome.gated.allSatisfy { id in !report.findings.contains { $0.message == id } })
        withExtendedLifetime(directory) {}
        return outcome
    }

    @Test(arguments: ["memory", "git"])
    func theAuditFlagsExactlyWhatTheGateRefused(kind: String) async throws {
        await propertyCheck(count: kind == "git" ? 4 : 30, input: Self.histories) { steps in
            try await play(steps, kind: kind)
        }
    }

    /// The property is not met vacuously: every replayed rule refuses some
    /// injected send. Random histories reach a rule like Florida's three
    /// texts a day only now and then, so this runs the same fixed histories
    /// every time, as many as it takes.
    @Test func everyReplayedRuleRefusesSomeInjectedSend() async throws {
        var generator = SeededGenerator(seed: 2_026)
        var refused = Set<ComplianceRule>()
        for _ in 0..<200 where refused != Set(ComplianceGate.replayedRules) {
            let steps = (0..<50).map { _ in UInt64.random(in: 0...UInt64(UInt32.max), using: &generator) }
            refused.formUnion(try await play(steps, kind: "memory").injected.values.joined())
        }
        #expect(refused == Set(ComplianceGate.replayedRules))
    }
}
