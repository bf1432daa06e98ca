import AsyncHTTPClient
import Foundation
import NIOCore
import ParleyCore
import ParleyGateways
import ParleyServer
import ParleyTestSupport
import Testing

/// Alongside automation: reminders another system sent through the Twilio
/// account are imported from the Messages list (paged, idempotent, Parley's
/// own sends skipped) or a file, and the customer's reply shows up under the
/// reminder it answers; the automation endpoint records or sends through
/// the compliance gate, with its token.
@Suite(.serialized, .enabled(if: Peers.shouldRun(Peers.hasTwilioPackage), "needs PyPI twilio; .ci/run installs it"))
struct AutomationTests {
    static let token = "automation-token-0123456789"

    @Test func aRemindersReplyShowsUpUnderTheImportedReminder() async throws {
        let fake = TwilioFake()
        try await fake.start()
        defer { fake.stop() }
        fake.listPageSize = 2
        let harness = try ServerHarness(gateway: .init(provider: "twilio", settings: [
            "account_sid": fake.accountSID, "api_base_url": fake.baseURL, "public_base_url": ServerHarness.publicBase]))
        try await harness.start { $0.webhooks = [TwilioWebhooks(authToken: fake.authToken, publicBaseURL: ServerHarness.publicBase)] }
        defer { harness.stop() }
        try harness.mailbox.consent.grant(Fixtures.tom, name: nil, disclosure: "I agree.", purpose: "reminders", method: .webForm, source: nil)
        let gateway = TwilioGateway(accountSID: fake.accountSID, authToken: fake.authToken, apiBaseURL: fake.baseURL, publicBaseURL: ServerHarness.publicBase)
        let own = try await harness.mailbox.sending.send(to: Fixtures.tom, OutgoingMessage(body: "Hi Tom, Bright Smile Dental here. Reply STOP to opt out."),
                                                 via: gateway)
        fake.seed(sid: "SMrem0000000000000000000000000001", to: "+13125550147", from: "+13125550100",
                  body: "Reminder: cleaning Tue 10 Mar 9:00. Reply C to confirm.", dateSent: "Mon, 09 Mar 2026 14:00:00 +0000")
        fake.seed(sid: "SMrem0000000000000000000000000002", to: "+13125550123", from: "+13125550100",
                  body: "Reminder: check-up Wed 11 Mar 15:00.", dateSent: "Mon, 09 Mar 2026 14:00:05 +0000")
        fake.seed(sid: "SMin00000000000000000000000000003", to: "+13125550100", from: "+13125550199", body: "inbound, not ours to import",
                  dateSent: "Mon, 09 Mar 2026 14:02:00 +0000", direction: "inbound", status: "received")

        let repo = harness.directory.path
        let environment = ["PARLEY_TWILIO_AUTH_TOKEN": fake.authToken]
        let first = try ParleyBinary.run(["import", "twilio", "--since", "2026-03-01", "--system", "reminders", "--json"], in: repo, environment: environment)
        #expect(first.status == 0, "\(first.standardError)")
        let result = try JSONSerialization.jsonObject(with: Data(first.standardOutput.utf8)) as? [String: Any]
        #expect((result?["recorded"] as? [String])?.sorted() == ["SMrem0000000000000000000000000001", "SMrem0000000000000000000000000002"])
        #expect(result?["alreadyThere"] as? Int == 1, "Parley's own send is recognised by its SID")
        let commits = try harness.commitCount()
        let again = try ParleyBinary.run(["import", "twilio", "--since", "2026-03-01", "--system", "reminders"], in: repo, environment: environment)
        #expect(again.status == 0 && again.standardOutput.contains("recorded 0, already in the mailbox 3"), "\(again.standardOutput)")
        #expect(try harness.commitCount() == commits)
        #expect(try harness.mailbox.conversations.conversation(Fixtures.tom).messages.filter { $0.gatewayID == own.message.gatewayID }.count == 1)

        let reply = [("MessageSid", "SMreply"), ("From", "+13125550147"), ("To", "+13125550100"), ("Body", "C - but can we make it 9:30?")]
        #expect(try await harness.postTwilio("/twilio/inbound", reply, signature: try Peers.twilioSignature(
            url: ServerHarness.publicBase + "/twilio/inbound", parameters: reply, authToken: fake.authToken)).0 == 200)
        let thread = try ParleyBinary.run(["thread", "+13125550147"], in: repo, environment: ["TZ": "UTC"]).standardOutput
        let reminder = try #require(thread.range(of: "reminders (automated)"))
        let answer = try #require(thread.range(of: "C - but can we make it 9:30?"))
        #expect(reminder.upperBound < answer.lowerBound, "\(thread)")
        let audit = try ParleyBinary.run(["audit"], in: repo)
        #expect(audit.standardOutput.contains("2 from other systems (not judged)"), "\(audit.standardOutput)")

        // Another automated message after her reply does not answer it: the report still shows her waiting.
        let followUp = harness.directory.file("follow-up.jsonl")
        try #"{"to": "+13125550147", "body": "Reminder: see you soon", "time": "2026-03-09T16:00:00Z", "provider_id": "SMrem3"}"#
            .write(toFile: followUp, atomically: true, encoding: .utf8)
        #expect(try ParleyBinary.run(["import", "file", followUp, "--system", "reminders"], in: repo).status == 0)
        let report = try ParleyBinary.run(["report", "--json", "--since", "2026-03-01"], in: repo, environment: ["PARLEY_NOW": "2026-03-10T12:00:00Z"])
        let total = (try JSONSerialization.jsonObject(with: Data(report.standardOutput.utf8)) as? [String: Any])?["total"] as? [String: Any]
        #expect((total?["firstReply"] as? [String: Any])?["count"] as? Int == 0, "\(report.standardOutput.prefix(600))")
    }

    @Test func filesAreImportedOrRefusedWithTheirLine() async throws {
        let harness = try ServerHarness()
        let repo = harness.directory.path
        let csv = harness.directory.file("reminders.csv")
        try """
            to,body,time,provider_id,status
            (312) 555-0147,"Reminder, with a comma: Tue 9:00",2026-03-09T08:00:00-05:00,rem-1,delivered
            +13125550123,Reminder: Wed 15:00,2026-03-09T08:00:05-05:00,rem-2,
            """.write(toFile: csv, atomically: true, encoding: .utf8)
        let imported = try ParleyBinary.run(["import", "file", csv, "--system", "booking"], in: repo)
        #expect(imported.status == 0 && imported.standardOutput.contains("recorded 2"), "\(imported.standardError)")
        let sarah = try harness.mailbox.conversations.conversation(Fixtures.sarah).messages
        #expect(sarah.first?.body == "Reminder, with a comma: Tue 9:00" && sarah.first?.agent == "automated:booking")
        let jsonl = harness.directory.file("sent.jsonl")
        try """
            {"to": "+13125550147", "body": "ok", "time": "2026-03-10T08:00:00-05:00", "provider_id": "j-1"}

            {"to": "+13125550147", "body": "no time", "provider_id": "j-2"}
            """.write(toFile: jsonl, atomically: true, encoding: .utf8)
        let before = try harness.commitCount()
        let refused = try ParleyBinary.run(["import", "file", jsonl], in: repo)
        #expect(refused.status == 65 && refused.standardError.contains("sent.jsonl:3: 'time' is required"), "\(refused.standardError)")
        #expect(try harness.commitCount() == before)
    }

    func call(_ harness: ServerHarness, _ path: String, _ object: [String: Any], token: String? = token) async throws -> (Int, [String: Any]) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(harness.port)\(path)")
        request.method = .POST
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: object)))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any]) ?? [:])
    }

    @Test func theAutomationEndpointRecordsAndSendsThroughTheGate() async throws {
        let harness = try ServerHarness()
        let gateway = ScriptedGateway(name: "twilio", leavesMachine: true)
        try await harness.start(gateway: gateway) { $0.automationToken = Self.token }
        defer { harness.stop() }
        try harness.mailbox.consent.grant(Fixtures.sarah, name: nil, disclosure: "I agree.", purpose: "reminders", method: .webForm, source: nil)
        let reminder: [String: Any] = ["to": "+13125550147", "body": "Reminder: Tue 9:00", "provider_id": "SMauto1", "system": "reminders",
                                       "time": "2026-03-09T08:00:00-05:00"]
        #expect(try await call(harness, "/automation/messages", reminder, token: "wrong-token-0123456789").0 == 401)
        #expect(try await call(harness, "/automation/messages", reminder, token: nil).0 == 401)
        let recorded = try await call(harness, "/automation/messages", reminder)
        #expect(recorded.0 == 200 && recorded.1["recorded"] as? [String] == ["SMauto1"])
        #expect(try await call(harness, "/automation/messages", reminder).1["already_there"] as? Int == 1)

        let sent = try await call(harness, "/automation/send", ["to": "+13125550147", "system": "reminders",
                                                                "body": "Hi Sarah, Bright Smile Dental: your crown is ready. Reply STOP to opt out."])
        #expect(sent.0 == 200 && sent.1["status"] as? String == "queued", "\(sent)")
        let message = try #require(try harness.mailbox.conversations.conversation(Fixtures.sarah).messages.last)
        #expect(message.agent == "auto-reminders" && message.id == sent.1["id"] as? String)
        let refused = try await call(harness, "/automation/send", ["to": "+13125550123", "system": "reminders", "body": "Hi Tom - Bright Smile Dental"])
        #expect(refused.0 == 422 && (refused.1["refused"] as? String)?.contains("consent") == true, "\(refused)")
        #expect(gateway.submissions.count == 1)
        #expect(try await call(harness, "/automation/send", ["to": "+13125550147"]).0 == 400)
    }
}
