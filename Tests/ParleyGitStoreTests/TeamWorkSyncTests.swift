import Foundation
import Git
import ParleyCore
import ParleyGitStore
import ParleyTestSupport
import Testing

/// Notes, snoozes and approvals made in several clones meet at `parley sync`.
@Suite struct TeamWorkSyncTests {
    static let sarah = Fixtures.sarah
    static let text = "Hi Sarah, this is Bright Smile Dental: Saturday at 10 works. Reply STOP to opt out."

    @Test func notesAndSnoozesFromTwoClonesMergeIntoOneState() async throws {
        let team = try Team(clones: ["a", "b"])
        _ = try await team.mailbox("a").inbound.receive(from: Self.sarah, body: "Can I come Saturday?", gateway: "sandbox", gatewayID: "SM1")
        for name in ["a", "b", "a"] { _ = try team.stores[name]!.sync(authentication: team.authentication) }

        _ = try team.mailbox("a", minute: 1).triage.note(Self.sarah, "@b please check Saturday")
        _ = try team.mailbox("b", minute: 2).triage.note(Self.sarah, "@a insurance card on file")
        _ = try team.mailbox("b", minute: 3).triage.snooze(Self.sarah, until: nil)
        for name in ["a", "b", "a"] { _ = try team.stores[name]!.sync(authentication: team.authentication) }

        for name in ["a", "b"] {
            let conversation = try team.mailbox(name, minute: 4).conversations.conversation(Self.sarah)
            #expect(conversation.events.map(\.kind) == [.note, .note, .snooze])
            #expect(conversation.state.mentions == ["a", "b"] && conversation.state.snooze?.until == nil)
            #expect(try team.mailbox(name, minute: 4).conversations.inbox().entries.isEmpty, "snoozed in \(name)")
        }
    }

    @Test func anApprovalAndARejectionOfTheSameTextResolveToTheSend() async throws {
        var config = Fixtures.config
        config.review = ReviewPolicy(always: [.firstContact])
        let team = try Team(clones: ["dana", "sam", "lee"], config: config)
        let dana = try team.mailbox("dana")
        try dana.consent.grant(Self.sarah, name: nil, disclosure: "I agree.", purpose: "reminders", method: .paper, source: nil)
        await #expect(throws: ParleyError.self) {
            try await dana.sending.send(to: Self.sarah, OutgoingMessage(body: Self.text), via: ScriptedGateway(name: "sandbox"))
        }
        let held = try #require(try dana.approvals.waiting().first)
        for name in ["dana", "sam", "lee"] { _ = try team.stores[name]!.sync(authentication: team.authentication) }

        // Sam approves (it goes out) while Lee, not yet synced, returns it to Dana.
        guard case .sent = try await team.mailbox("sam", minute: 5).approvals.approve(held.id, via: ScriptedGateway(name: "sandbox")) else {
            Issue.record("not sent"); return
        }
        _ = try team.mailbox("lee", minute: 6).approvals.reject(held.id, reason: "too formal")
        for name in ["sam", "lee", "dana", "sam", "lee"] { _ = try team.stores[name]!.sync(authentication: team.authentication) }

        for name in ["dana", "sam", "lee"] {
            let mailbox = try team.mailbox(name, minute: 7)
            #expect(try mailbox.approvals.waiting().isEmpty, "\(name) still holds it")
            let sent = try mailbox.conversations.conversation(Self.sarah).messages.filter { $0.id == held.id }
            #expect(sent.count == 1 && sent.first?.approvedBy == "sam", "\(name): the send stands")
            // Nothing is lost: the rejected text is Dana's draft beside the sent message.
            #expect(try team.mailbox("dana", minute: 7).templates.draft(Self.sarah).body == Self.text)
        }
    }
}
