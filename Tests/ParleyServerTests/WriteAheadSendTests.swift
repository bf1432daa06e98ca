import Foundation
import NIOCore
import ParleyCore
import ParleyGateways
import ParleyTestSupport
import Testing

/// Sends through the Twilio adapter to the loopback fake: the intent is
/// committed first, a timeout leaves the message in doubt, and only a
/// person's decision sends it again.
@Suite(.serialized) struct WriteAheadSendTests {
    let welcome = "Hi Sarah, this is Bright Smile Dental. Reply STOP to opt out."

    /// `timeout` is short only where a test makes the fake slower than it; elsewhere
    /// it leaves room for a busy machine running the rest of the suite.
    func setUp(timeout: TimeAmount = .seconds(20)) async throws -> (ServerHarness, TwilioFake, TwilioGateway) {
        let fake = TwilioFake()
        try await fake.start()
        let harness = try ServerHarness(gateway: .init(provider: "twilio", settings: ["account_sid": fake.accountSID, "api_base_url": fake.baseURL]))
        try harness.mailbox.consent.grant(Fixtures.sarah, name: nil, disclosure: "I agree.", purpose: "reminders", method: .webForm, source: nil)
        return (harness, fake, Self.gateway(fake, timeout: timeout))
    }

    static func gateway(_ fake: TwilioFake, timeout: TimeAmount = .seconds(20)) -> TwilioGateway {
        TwilioGateway(accountSID: fake.accountSID, authToken: fake.authToken, apiBaseURL: fake.baseURL,
                      publicBaseURL: ServerHarness.publicBase, timeout: timeout)
    }

    @Test func theIntentIsCommittedBeforeSubmissionAndReplacedByTheReceipt() async throws {
        let (harness, fake, gateway) = try await setUp()
        defer { fake.stop() }
        let result = try await harness.mailbox.sending.send(to: Fixtures.sarah, OutgoingMessage(body: welcome), via: gateway)
        #expect(result.message.gatewayID == fake.created.first?.sid)
        let subjects = try harness.store.history(touching: [], limit: 2).map(\.summary)
        #expect(subjects[0].hasPrefix("Send message to"))
        #expect(subjects[1].hasPrefix("Prepare to send \(result.message.id)"))
        #expect(try harness.mailbox.outbox.entries().isEmpty)
        #expect(try Shell.git(["show", "mailbox", "--name-status", "--no-renames", "--format="], in: harness.directory.path).standardOutput.contains("D\toutbox/"))
    }

    @Test func aTimeoutIsInDoubtAndReconcileRecordsItWithoutResending() async throws {
        let (harness, fake, gateway) = try await setUp(timeout: .seconds(1))
        defer { fake.stop() }
        fake.behave(.slow(seconds: 3), for: Fixtures.sarah.e164)
        await #expect(throws: ParleyError.self) { try await harness.mailbox.sending.send(to: Fixtures.sarah, OutgoingMessage(body: welcome), via: gateway) }
        let entry = try #require(try harness.mailbox.outbox.entries().first)
        #expect(entry.state == .inDoubt)
        #expect(try harness.mailbox.conversations.conversation(Fixtures.sarah).messages.isEmpty)
        let outcomes = try await harness.mailbox.outbox.reconcile(via: Self.gateway(fake))
        guard case .sent(let settled, _)? = outcomes.first else { Issue.record("\(outcomes)"); return }
        #expect(settled.id == entry.id)
        #expect(try harness.mailbox.outbox.entries().isEmpty)
        let messages = try harness.mailbox.conversations.conversation(Fixtures.sarah).messages
        #expect(messages.map(\.id) == [entry.id])
        #expect(messages[0].gatewayID == fake.created[0].sid)
        #expect(fake.created.count == 1)
    }

    @Test func notFoundStaysUntilAPersonResendsWithAReason() async throws {
        let (harness, fake, gateway) = try await setUp()
        defer { fake.stop() }
        // The request never reached the provider, but the process died before knowing: an intent is left behind.
        let entry = OutboxEntry(id: ULID(time: Date()).string, to: Fixtures.sarah, state: .sending, created: Date(), notBefore: nil, agent: "dana",
                                gateway: "twilio", template: nil, templateBlob: nil, overrides: [], note: nil, body: welcome)
        _ = try harness.store.commit { _ in StoreChange(files: [entry.path: entry.fileData()], message: "intent\n", author: Fixtures.agent, time: Date()) }
        let outcomes = try await harness.mailbox.outbox.reconcile(via: gateway)
        guard case .notSent? = outcomes.first else { Issue.record("\(outcomes)"); return }
        #expect(fake.created.isEmpty)
        #expect(try harness.mailbox.outbox.entries().first?.note?.contains("--resend --reason") == true)
        await #expect(throws: ParleyError.self) { try await harness.mailbox.outbox.resend(entry.id, reason: " ", via: gateway) }
        let resent = try await harness.mailbox.outbox.resend(entry.id, reason: "Twilio has no record of it", via: gateway)
        #expect(resent.message.id == entry.id)
        #expect(fake.created.count == 1)
        #expect(try harness.store.history(touching: [], limit: 1)[0].trailer(.resend) == "Twilio has no record of it")
    }

    @Test func transientErrorsAreRetriedAndPermanentOnesRecorded() async throws {
        let (harness, fake, gateway) = try await setUp()
        defer { fake.stop() }
        fake.behave(.unavailable(times: 2), for: Fixtures.sarah.e164)
        let sent = try await harness.mailbox.sending.send(to: Fixtures.sarah, OutgoingMessage(body: welcome), via: gateway)
        #expect(sent.status == .queued)
        #expect(fake.created.count == 1)

        try harness.mailbox.consent.grant(Fixtures.tom, name: nil, disclosure: "I agree.", purpose: "reminders", method: .webForm, source: nil)
        fake.behave(.error(status: 400, code: 21610, message: "Attempt to send to unsubscribed recipient"), for: Fixtures.tom.e164)
        let refused = try await harness.mailbox.sending.send(to: Fixtures.tom, OutgoingMessage(body: welcome), via: gateway)
        #expect(refused.status == .failed)
        #expect(try harness.mailbox.conversations.conversation(Fixtures.tom).consent.status == .optedOut)
    }
}
