import Foundation
import ParleyCore
import ParleyGateways
import ParleyTestSupport
import Testing

@Suite(.serialized, .enabled(if: Peers.shouldRun(Peers.hasKannel), "needs Debian's kannel and kannel-extras; .ci/run installs them"))
struct KannelEndToEndTests {
    /// Polls until `condition` holds, for up to `seconds`.
    func eventually(_ seconds: Double = 30, _ condition: () throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            try await Task.sleep(nanoseconds: 200_000_000)
        }
        return try condition()
    }

    @Test func aSendReachesFakesmscItsReportsComeBackAndAnInboundMessageLands() async throws {
        #expect(Peers.hasKannel, "Kannel is not installed (apt-get install kannel kannel-extras)")
        let kannel = KannelPeer()
        let serverPort = Peers.freePort()
        let harness = try ServerHarness(gateway: .init(provider: "kannel", settings: [
            "sendsms_url": kannel.sendsmsURL, "username": kannel.username, "public_base_url": "http://127.0.0.1:\(serverPort)",
        ]), now: nil)
        try await harness.start(port: serverPort)
        defer { harness.stop() }
        try kannel.start(parleyPort: serverPort, secret: ServerHarness.kannelSecret, inbound: "+13125550147 +13125550100 text Hello from handset")
        defer { kannel.stop() }

        // fakesmsc's message arrives through smsbox's post-url.
        #expect(try await eventually { try harness.mailbox.conversations.conversation(orNil: Fixtures.sarah)?.messages.first?.body == "Hello from handset" })
        let inbound = try #require(try harness.mailbox.conversations.conversation(Fixtures.sarah).messages.first)
        #expect(inbound.gateway == "kannel")
        #expect(inbound.to == Fixtures.business)
        // Kannel's %t (UTC, to the second) is the message's time, not the moment it reached Parley.
        #expect(abs(inbound.time.timeIntervalSinceNow) < 120)
        #expect(inbound.time.timeIntervalSince1970.truncatingRemainder(dividingBy: 1) == 0)

        try harness.mailbox.consent.grant(Fixtures.sarah, name: nil, disclosure: "I agree.", purpose: "reminders", method: .webForm, source: nil)
        let gateway = KannelGateway(sendsmsURL: kannel.sendsmsURL, username: kannel.username, password: kannel.password,
                                    publicBaseURL: "http://127.0.0.1:\(serverPort)", webhookSecret: ServerHarness.kannelSecret)
        let body = "Hi Sarah, this is Bright Smile Dental: café at 3 pm? Reply STOP to opt out."
        // The real clock may fall in quiet hours wherever CI runs; this test is about Kannel.
        let sent = try await harness.mailbox.sending.send(to: Fixtures.sarah, OutgoingMessage(body: body, overrides: [.quietHours: "test at any hour"]), via: gateway)
        #expect(sent.status == .queued)
        #expect(try await eventually { kannel.fakesmscLog.contains("Got message") })
        #expect(kannel.fakesmscLog.contains("+13125550147"))
        // Delivery reports carry our id in the dlr-url and move the status forward.
        #expect(try await eventually {
            let conversation = try harness.mailbox.conversations.conversation(Fixtures.sarah)
            return conversation.messages.first { $0.id == sent.message.id }.map { conversation.status(of: $0) } == .delivered
        })
        let records = try harness.mailbox.conversations.conversation(Fixtures.sarah).deliveries[sent.message.id]?.map(\.status) ?? []
        #expect(records.contains(.delivered))
        #expect(try Shell.git(["fsck", "--strict", "--no-dangling"], in: harness.directory.path).status == 0)
    }
}
