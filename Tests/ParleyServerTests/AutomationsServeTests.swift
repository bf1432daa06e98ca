import Foundation
import ParleyCore
import ParleyGateways
import ParleyTestSupport
import Testing

/// The automations inside `parley serve`: customer texts posted to the
/// running server as Twilio signs them, the automatic replies sent through
/// the gateway, the answers read—each checked in the repository.
@Suite(.serialized) struct AutomationsServeTests {
    func inbound(_ body: String, sid: String, from: String = "+13125550147") -> [(String, String)] {
        [("MessageSid", sid), ("SmsSid", sid), ("AccountSid", "AC1"), ("From", from), ("To", "+13125550100"), ("Body", body), ("NumMedia", "0")]
    }

    /// Turns on one of the example automations `parley init` installed.
    func enable(_ name: String, in harness: ServerHarness) throws {
        let path = Automation.path(name)
        let text = String(decoding: try #require(try harness.store.snapshot().read(path)), as: UTF8.self)
        _ = try harness.store.commit { _ in
            StoreChange(files: [path: Data(text.replacingOccurrences(of: "enabled: false", with: "enabled: true").utf8)], message: "Turn on \(name)",
                        author: Fixtures.agent, time: Fixtures.monday)
        }
    }

    /// Waits until `condition` holds (the worker runs after the webhook is answered), for at most five seconds.
    func eventually(_ condition: () throws -> Bool) async throws -> Bool {
        for _ in 0..<100 {
            if try condition() { return true }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        return try condition()
    }

    @Test func twoAfterHoursTextsArrivingTogetherGetExactlyOneAutomaticReply() async throws {
        let harness = try ServerHarness(now: "2026-03-14T11:00:00-05:00")
        try enable("after-hours", in: harness)
        let gateway = ScriptedGateway(name: "twilio", leavesMachine: true)
        try await harness.start(gateway: gateway) { $0.automationInterval = 0 }
        defer { harness.stop() }
        async let first = harness.postTwilio("/twilio/inbound", inbound("Are you open today?", sid: "SMa1"), official: false)
        async let second = harness.postTwilio("/twilio/inbound", inbound("My tooth hurts", sid: "SMa2"), official: false)
        #expect(try await [first.0, second.0] == [200, 200])
        #expect(try await eventually { gateway.submissions.count == 1 })
        // A retried webhook and a third text change nothing.
        #expect(try await harness.postTwilio("/twilio/inbound", inbound("Are you open today?", sid: "SMa1"), official: false).0 == 200)
        #expect(try await harness.postTwilio("/twilio/inbound", inbound("Hello?", sid: "SMa3"), official: false).0 == 200)
        try await Task.sleep(nanoseconds: 500_000_000)
        #expect(gateway.submissions.count == 1)
        let conversation = try harness.mailbox.conversations.conversation(Fixtures.sarah)
        #expect(conversation.messages.filter { $0.agent == "automation:after-hours" }.count == 1)
        #expect(ConversationSummary(conversation).waiting?.party == .customer)
        #expect(try Shell.git(["fsck", "--strict", "--no-dangling"], in: harness.directory.path).status == 0)
    }

    @Test func aTimedConfirmationGoesOutAndTheAnswerRecordsItsOutcome() async throws {
        let harness = try ServerHarness(now: "2026-03-16T10:30:00-05:00")
        try enable("appointment-confirmation", in: harness)
        try harness.mailbox.consent.grant(Fixtures.sarah, name: "Sarah", disclosure: "I agree to appointment texts. Reply STOP to opt out.",
                                          purpose: "appointments", method: .webForm, source: nil)
        var columns = OutcomeImport.Columns()
        columns.outcome = nil
        let importer = OutcomeImport(columns: columns, useCase: try #require(Fixtures.config.monitoring.useCase(named: "appointments")), values: [:],
                                     fileName: "book.csv")
        _ = try importer.run("phone,appointment_at\n+13125550147,2026-03-17 10:00\n", on: harness.mailbox, dryRun: false)
        let gateway = ScriptedGateway(name: "twilio", leavesMachine: true)
        try await harness.start(gateway: gateway) { $0.automationInterval = 0.2 }
        defer { harness.stop() }
        #expect(try await eventually { gateway.submissions.count == 1 })
        #expect(gateway.submissions.first?.body.contains("your appointment is on Tuesday 17 March at 10:00 am.") == true)
        #expect(try await harness.postTwilio("/twilio/inbound", inbound("Yes 👍", sid: "SMc1"), official: false).0 == 200)
        #expect(try await eventually { try harness.mailbox.conversations.conversation(Fixtures.sarah).state.outcome == "confirmed" })
        try await Task.sleep(nanoseconds: 500_000_000)
        #expect(gateway.submissions.count == 1)
        let answers = try AutomationRecord.all(of: Fixtures.sarah, in: harness.store.snapshot()).filter { $0.kind == .answer }
        #expect(answers.map(\.answer) == ["confirmed"])
    }
}
