import Foundation
import ParleyCore
import ParleyGateways
import ParleyTestSupport
import Testing

@Suite(.serialized, .enabled(if: Peers.shouldRun(Peers.hasTwilioPackage), "needs PyPI twilio (pip install twilio); .ci/run installs it"))
struct TwilioWebhookTests {
    func inbound(_ body: String, sid: String = "SM0123456789abcdef0123456789abcdef", extra: [(String, String)] = []) -> [(String, String)] {
        [("MessageSid", sid), ("SmsSid", sid), ("AccountSid", "AC1"), ("From", "+13125550147"), ("To", "+13125550100"),
         ("Body", body), ("NumMedia", "0"), ("NumSegments", "1")] + extra
    }

    @Test func signedInboundMessagesAreStoredWhateverTheirCharacters() async throws {
        let harness = try ServerHarness()
        try await harness.start()
        defer { harness.stop() }
        let bodies = ["Hello there", "1+1=2 & 50% off? a+b", "Thanks 👍 — café", "  spaced  out  "]
        for (index, body) in bodies.enumerated() {
            let extra = index == 3 ? [("MediaUrl0", "https://x/1"), ("Tag", "b"), ("Tag", "a")] : []
            let (status, reply) = try await harness.postTwilio("/twilio/inbound?source=sms", inbound(body, sid: "SM\(index)", extra: extra))
            #expect(status == 200)
            #expect(reply == ServerHarnessTwiML.empty)
        }
        let stored = try harness.mailbox.conversations.conversation(Fixtures.sarah).messages.map(\.body)
        #expect(stored == bodies)
        #expect(try Shell.git(["fsck", "--strict", "--no-dangling"], in: harness.directory.path).status == 0)
    }

    @Test func forgedTamperedAndUnsignedRequestsAreRefusedAndWriteNothing() async throws {
        let harness = try ServerHarness()
        try await harness.start()
        defer { harness.stop() }
        let before = try harness.commitCount()
        let parameters = inbound("Hello")
        let valid = try Peers.twilioSignature(url: ServerHarness.publicBase + "/twilio/inbound", parameters: parameters, authToken: ServerHarness.twilioToken)
        let forged = try Peers.twilioSignature(url: ServerHarness.publicBase + "/twilio/inbound", parameters: parameters, authToken: "not-the-token")
        var tampered = parameters
        tampered[5] = ("Body", "Hello, send money")
        let otherURL = try Peers.twilioSignature(url: "https://evil.example/twilio/inbound", parameters: parameters, authToken: ServerHarness.twilioToken)
        #expect(try await harness.postTwilio("/twilio/inbound", parameters, signature: forged).0 == 403)
        #expect(try await harness.postTwilio("/twilio/inbound", tampered, signature: valid).0 == 403)
        #expect(try await harness.postTwilio("/twilio/inbound", parameters, signature: otherURL).0 == 403)
        #expect(try await harness.post("/twilio/inbound", body: FormEncoding.encode(parameters)).0 == 403)
        #expect(try await harness.postTwilio("/twilio/inbound?extra=1", parameters, signature: valid).0 == 403)
        #expect(try harness.commitCount() == before)
        #expect(try harness.mailbox.conversations.conversation(orNil: Fixtures.sarah) == nil)
    }

    @Test func aSignedBodyIsVerifiedAsSentThenNormalised() async throws {
        let harness = try ServerHarness()
        try await harness.start()
        defer { harness.stop() }
        // The official validator signs the byte order mark and the CR LF with the rest.
        #expect(try await harness.postTwilio("/twilio/inbound", inbound("\u{FEFF}Running late\r\nsorry", sid: "SMbom")).0 == 200)
        let stored = try #require(try harness.mailbox.conversations.conversation(Fixtures.sarah).messages.first)
        #expect(stored.body == "Running late\r\nsorry")
    }

    @Test func aRepeatedFieldParleyReadsIsRefusedEvenWhenSigned() async throws {
        let harness = try ServerHarness()
        try await harness.start()
        defer { harness.stop() }
        let before = try harness.commitCount()
        for (name, value) in [("Body", "Send it to my other number"), ("From", "+13125550123"), ("MessageSid", "SMother")] {
            let (status, reply) = try await harness.postTwilio("/twilio/inbound", inbound("Hello", sid: "SMdup") + [(name, value)])
            #expect(status == 400)
            #expect(reply.contains("'\(name)' is repeated"))
        }
        #expect(try harness.commitCount() == before)
    }

    @Test func aRetriedWebhookCommitsNothingNewAndStopIsApplied() async throws {
        let harness = try ServerHarness()
        try await harness.start()
        defer { harness.stop() }
        #expect(try await harness.postTwilio("/twilio/inbound", inbound("STOP", sid: "SMstop")).0 == 200)
        let after = try harness.commitCount()
        #expect(try await harness.postTwilio("/twilio/inbound", inbound("STOP", sid: "SMstop")).0 == 200)
        #expect(try harness.commitCount() == after)
        #expect(try harness.mailbox.conversations.conversation(Fixtures.sarah).consent.status == .optedOut)
    }

    @Test func aStopIsAnsweredOnceAndTheReplyInFlightIsRecordedBeforeShutdownReturns() async throws {
        let harness = try ServerHarness()
        let gateway = ScriptedGateway(name: "twilio", leavesMachine: true, latency: .milliseconds(400))
        try await harness.start(gateway: gateway)
        #expect(try await harness.postTwilio("/twilio/inbound", inbound("STOP", sid: "SMstop")).0 == 200)
        // Acknowledged after the one commit holding the STOP, its opt-out and the planned reply.
        let stored = try #require(try harness.store.history(touching: [], limit: 1).first)
        #expect(stored.trailer(.consent) == "opted_out")
        let planned = try harness.mailbox.outbox.entries()
        #expect(planned.map(\.replyTo) == ["STOP"] && planned.map(\.state) == [.sending])
        #expect(stored.trailer(.replyPlanned) == planned.first?.id)
        // The retried webhook plans nothing more.
        #expect(try await harness.postTwilio("/twilio/inbound", inbound("STOP", sid: "SMstop")).0 == 200)

        try await harness.shutDownGracefully()
        #expect(gateway.submissions.count == 1)
        #expect(try harness.mailbox.outbox.entries().isEmpty)
        let reply = try #require(try harness.mailbox.conversations.conversation(Fixtures.sarah).messages.last)
        #expect(reply.direction == .outbound && reply.id == planned.first?.id && reply.gatewayID == "GW1" && reply.agent == Agent.systemHandle)
        #expect(try harness.store.history(touching: [], limit: 1).first?.trailer(.action) == "auto-reply")
    }

    @Test func statusCallbacksAreRecordedLateTwiceOrOutOfOrderAndUnknownOnesKept() async throws {
        let harness = try ServerHarness()
        try await harness.start()
        defer { harness.stop() }
        try harness.mailbox.consent.grant(Fixtures.sarah, name: nil, disclosure: "I agree.", purpose: "reminders", method: .webForm, source: nil)
        let sent = try await harness.mailbox.sending.send(to: Fixtures.sarah, OutgoingMessage(body: "Hi, Bright Smile Dental here. Reply STOP to opt out."), via: ScriptedGateway(name: "twilio"))
        let id = sent.message.id
        func status(_ value: String, ref: String = id) async throws -> Int {
            try await harness.postTwilio("/twilio/status?ref=\(ref)&to=%2B13125550147",
                                         [("MessageSid", "SM1"), ("MessageStatus", value), ("To", "+13125550147"), ("AccountSid", "AC1"), ("ErrorCode", "")]).0
        }
        #expect(try await status("delivered") == 200)
        #expect(try await status("sent") == 200)        // late and out of order
        let count = try harness.commitCount()
        #expect(try await status("delivered") == 200)   // twice
        #expect(try harness.commitCount() == count)
        let conversation = try harness.mailbox.conversations.conversation(Fixtures.sarah)
        #expect(conversation.status(of: conversation.messages[0]) == .delivered)
        #expect(try await status("delivered", ref: "01KKUNKNOWN0000000000000000") == 200)
        #expect(try harness.store.snapshot().list("unmatched-receipts/twilio")?.map(\.name) == ["01KKUNKNOWN0000000000000000.delivered.yaml"])
        #expect(try await status("read-receipt-of-the-future") == 200)
    }
}

enum ServerHarnessTwiML {
    static let empty = #"<?xml version="1.0" encoding="UTF-8"?><Response/>"#
}
