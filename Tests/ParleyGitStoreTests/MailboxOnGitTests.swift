import Foundation
import ParleyCore
import ParleyGitStore
import ParleyTestSupport
import Testing
import ParleyIndex

/// The mailbox's main flows on real Git stores: a person's clone with a
/// work tree, and a bare repository as a server keeps (the Core suites run
/// the same operations on the in-memory store).
@Suite struct MailboxOnGitTests {
    enum Kind: String, CaseIterable, CustomTestStringConvertible, Sendable {
        case workTree, bare
        var testDescription: String { rawValue }
    }

    let directory = TemporaryDirectory("mailbox-on-git")
    static let firstMessage = "Hi Sarah, this is Bright Smile Dental. Reply STOP to opt out."

    private func store(_ kind: Kind) throws -> GitMailboxStore {
        if let store = try GitMailboxStore.open(at: directory.path) { return store }
        return try GitMailboxStore.create(at: directory.path, bare: kind == .bare)
    }

    private func mailbox(_ kind: Kind, at date: Date = Fixtures.monday) throws -> Mailbox {
        let store = try store(kind)
        if try store.snapshot().read(MailboxLayout.configFile) == nil {
            return try Mailbox.initialize(store: store, config: Fixtures.config, skeleton: DefaultSkeleton.mailboxFiles, clock: Fixtures.clock(date),
                                          agent: Fixtures.agent)
        }
        return try Mailbox.open(store: store, clock: Fixtures.clock(date), agent: Fixtures.agent, location: directory.path)
    }

    private func grant(_ kind: Kind) throws {
        try mailbox(kind).consent.grant(Fixtures.sarah, name: "Sarah Lee", disclosure: "I agree to receive appointment texts. Reply STOP to opt out.",
                                       purpose: "appointments", method: .webForm, source: "https://example.com/book")
    }

    @Test(arguments: Kind.allCases) func aSendAndItsReceiptAreOneCommitThatGitReads(_ kind: Kind) async throws {
        try grant(kind)
        let gateway = ScriptedGateway(name: "twilio", leavesMachine: true)
        let sent = try await mailbox(kind).sending.send(to: Fixtures.sarah, OutgoingMessage(body: Self.firstMessage), via: gateway)
        #expect(sent.recordProblem == nil && sent.message.gatewayID == "GW1")
        #expect(try mailbox(kind).outbox.entries().isEmpty, "the write-ahead intent leaves with the send commit")
        let gitDirectory = kind == .bare ? directory.path : directory.path + "/.git"
        let log = try Shell.git(["--git-dir", gitDirectory, "log", "-1", "--format=%B", "mailbox"], in: directory.path).standardOutput
        #expect(log.contains("\(Trailer.messageID.rawValue): \(sent.message.id)") && log.contains("\(Trailer.receipt.rawValue): GW1"))
        #expect(try Shell.git(["--git-dir", gitDirectory, "fsck", "--strict"], in: directory.path).status == 0)
    }

    @Test(arguments: Kind.allCases) func aStopOptsOutAndItsReplyIsPlannedThenRecorded(_ kind: Kind) async throws {
        try grant(kind)
        let gateway = ScriptedGateway(name: "twilio", leavesMachine: true)
        let received = try await mailbox(kind).inbound.receive(from: Fixtures.sarah, body: "STOP", gateway: "twilio", gatewayID: "SMstop", replyVia: gateway)
        #expect(received.consentChange?.kind == .optedOut)
        #expect(received.reply?.gatewayID == "GW1" && received.replyProblem == nil)
        let again = try await mailbox(kind).inbound.receive(from: Fixtures.sarah, body: "STOP", gateway: "twilio", gatewayID: "SMstop", replyVia: gateway)
        #expect(again.isDuplicate && gateway.submissions.count == 1)
        let conversation = try mailbox(kind).conversations.conversation(Fixtures.sarah)
        #expect(conversation.consent.status == .optedOut)
        #expect(conversation.messages.map(\.direction) == [.inbound, .outbound])
        #expect(try mailbox(kind).outbox.entries().isEmpty)
    }

    @Test(arguments: Kind.allCases) func aScheduledMessageGoesWhenDueAndTheInboxAndSearchSeeIt(_ kind: Kind) async throws {
        try grant(kind)
        _ = try await mailbox(kind).inbound.receive(from: Fixtures.sarah, body: "Can I move my cleaning?", gateway: "sandbox")
        let due = Fixtures.monday.addingTimeInterval(3600)
        let entry = try mailbox(kind).outbox.schedule(to: Fixtures.sarah, OutgoingMessage(body: Self.firstMessage), at: due)
        #expect(try await mailbox(kind, at: due.addingTimeInterval(-60)).outbox.flush(via: ScriptedGateway()).isEmpty)
        let flushed = try await mailbox(kind, at: due).outbox.flush(via: ScriptedGateway())
        #expect(flushed.map(\.entry.id) == [entry.id])
        #expect(try mailbox(kind, at: due).outbox.entries().isEmpty)
        let inbox = try mailbox(kind, at: due).conversations.inbox()
        #expect(inbox.entries.map(\.summary.number) == [Fixtures.sarah])
        let hits = try MessageSearch(text: "cleaning").results(in: mailbox(kind, at: due))
        #expect(hits.hits.map(\.number) == [Fixtures.sarah])
    }
}
