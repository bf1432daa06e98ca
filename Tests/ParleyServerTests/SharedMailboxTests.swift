import Foundation
import Git
import Logging
import ParleyCore
import ParleyGitStore
import ParleyServer
import ParleyTestSupport
import Testing

/// The webhook server on its own clone, agents on theirs, a bare hub
/// between them: what `parley serve --sync-every` is for.
@Suite struct SharedMailboxTests {
    let directory = TemporaryDirectory("shared")

    @Test func aSendInOneCloneAndItsReceiptIngestedByTheServerInAnotherMeetAfterSync() async throws {
        let authentication = RemoteAuthentication()
        let hub = directory.file("hub.git")
        _ = try Repository.create(at: hub, bare: true)
        let agentStore = try GitMailboxStore.create(at: directory.file("agent"))
        let agent = try Mailbox.initialize(store: agentStore, config: Fixtures.config, skeleton: DefaultSkeleton.mailboxFiles,
                                           clock: Fixtures.clock(), agent: Fixtures.agent)
        _ = try Shell.git(["remote", "add", "origin", hub], in: directory.file("agent"))
        _ = try agentStore.sync(authentication: authentication)
        let serverStore = try GitMailboxStore.clone(url: hub, to: directory.file("server"), authentication: authentication)

        let harness = try ServerHarness(clone: directory.file("server"))
        var logger = Logger(label: "test.sync")
        logger.logLevel = .critical
        let periodicSync = PeriodicService(name: "sync", interval: 0.2, logger: logger) {
            "\(try serverStore.sync(authentication: authentication).sent) pushed"
        }
        try await harness.start(services: [periodicSync])
        defer { harness.stop() }

        try agent.consent.grant(Fixtures.sarah, name: "Sarah", disclosure: "I agree.", purpose: "reminders", method: .webForm, source: nil)
        let sent = try await agent.sending.send(to: Fixtures.sarah, OutgoingMessage(body: "Hi, Bright Smile Dental here. Reply STOP to opt out."),
                                        via: ScriptedGateway(name: "twilio"))
        // The delivery report reaches the server before the server has the message.
        let (code, _) = try await harness.postTwilio("/twilio/status?ref=\(sent.message.id)&to=%2B13125550147",
                                                     [("MessageSid", "SM1"), ("MessageStatus", "delivered"), ("To", "+13125550147"), ("AccountSid", "AC1")])
        #expect(code == 200)

        let deadline = Date().addingTimeInterval(20)
        var agentView: Conversation?
        var serverView: Conversation?
        while Date() < deadline {
            _ = try agentStore.sync(authentication: authentication)
            agentView = try agent.conversations.conversation(Fixtures.sarah)
            serverView = try harness.mailbox.conversations.conversation(Fixtures.sarah)
            if let agentView, let serverView, agentView.status(of: agentView.messages[0]) == .delivered, serverView.messages.count == 1 { break }
            try await Task.sleep(nanoseconds: 200_000_000)
        }
        let agentConversation = try #require(agentView)
        let serverConversation = try #require(serverView)
        #expect(agentConversation.messages.map(\.id) == [sent.message.id])
        #expect(agentConversation.status(of: agentConversation.messages[0]) == .delivered)
        #expect(serverConversation.messages.map(\.id) == [sent.message.id])
        #expect(serverConversation.status(of: serverConversation.messages[0]) == .delivered)
        #expect(try agentStore.snapshot().list("unmatched-receipts") == nil)
        #expect(try Shell.git(["fsck", "--strict", "--no-dangling"], in: directory.file("agent")).status == 0)
    }
}
