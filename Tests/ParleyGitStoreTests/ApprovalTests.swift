import Foundation
import ParleyCore
import ParleyIndex
import ParleyTestSupport
import Testing

/// Review before send: the policy in parley.yaml holds texts for a second
/// person; approval sends them through the gate again and names the
/// approver; the audit flags sends that went without one.
@Suite struct ApprovalTests {
    static let sam = Agent(handle: "sam", name: "Sam Patel", email: "sam@example.com")
    static let lee = Agent(handle: "lee", name: "Lee Wong", email: "lee@example.com")
    static let text = "Hi Sarah, this is Dana at Bright Smile Dental: Saturday at 10 works. Reply STOP to opt out."

    /// A mailbox whose policy reviews first contacts and every text of `lee`.
    func mailbox(_ fixture: MailboxFixture, as agent: Agent = Fixtures.agent, minutes: Double = 0) throws -> Mailbox {
        let date = Fixtures.monday.addingTimeInterval(minutes * 60)
        if try fixture.store.snapshot().read(MailboxLayout.configFile) == nil {
            var config = Fixtures.config
            config.review = ReviewPolicy(agents: ["lee"], always: [.firstContact])
            _ = try Mailbox.initialize(store: fixture.store, config: config, skeleton: DefaultSkeleton.mailboxFiles, clock: Fixtures.clock(date),
                                       agent: agent)
        }
        return try Mailbox.open(store: fixture.store, clock: Fixtures.clock(date), agent: agent, location: "test")
    }

    @Test(arguments: StoreKind.allCases) func aHeldTextGoesOnlyWithAnotherAgentsApproval(_ kind: StoreKind) async throws {
        let fixture = try MailboxFixture(kind)
        let dana = try mailbox(fixture)
        try fixture.grant(Fixtures.sarah)
        let gateway = ScriptedGateway()
        do {
            _ = try await dana.sending.send(to: Fixtures.sarah, OutgoingMessage(body: Self.text), via: gateway)
            Issue.record("a first contact went out without review")
        } catch {
            guard case .awaitingApproval = error else { Issue.record("unexpected \(error)"); return }
        }
        #expect(gateway.submissions.isEmpty)
        let held = try #require(try dana.approvals.waiting().first)
        #expect(held.agent == "dana" && held.review == ["first contact"] && held.state == .awaitingApproval)

        await #expect(throws: ParleyError.self) { try await dana.approvals.approve(held.id, via: gateway) }
        let sam = try mailbox(fixture, as: Self.sam, minutes: 30)
        guard case .sent(let result) = try await sam.approvals.approve(held.id, via: gateway) else { Issue.record("not sent"); return }
        #expect(gateway.submissions.count == 1)
        #expect(result.message.agent == "dana" && result.message.approvedBy == "sam" && result.message.id == held.id)
        let stored = try sam.conversations.conversation(Fixtures.sarah).messages.last
        #expect(stored?.approvedBy == "sam" && stored?.agent == "dana")
        let commit = try #require(try fixture.store.history(touching: [], limit: 1).first)
        #expect(commit.trailer(.approvedBy) == "sam" && commit.action == .send)
        #expect(try sam.approvals.waiting().isEmpty)
        await #expect(throws: ParleyError.self) { try await sam.approvals.approve(held.id, via: gateway) }

        // Not a first contact any more, and dana is not reviewed: her next text goes straight out.
        _ = try await mailbox(fixture, minutes: 40).sending.send(to: Fixtures.sarah, OutgoingMessage(body: "See you Saturday."), via: gateway)
        #expect(gateway.submissions.count == 2)
        let flagged = try Auditor.audit(sam, since: nil, until: nil).findings.filter { $0.rule == .approval }
        #expect(flagged.isEmpty, "\(flagged.map(\.detail))")
        let teamwork = try ReportMaker.report(ReportQuery(), for: sam).teamwork
        #expect(teamwork?.approved == 1 && teamwork?.approvalWaitMedian == 30 * 60 && teamwork?.awaitingApproval == 0)
    }

    @Test(arguments: StoreKind.allCases) func anEditNeedsApprovalAgainAndARejectionReturnsTheDraft(_ kind: StoreKind) async throws {
        let fixture = try MailboxFixture(kind)
        _ = try mailbox(fixture)
        try fixture.grant(Fixtures.sarah)
        let lee = try mailbox(fixture, as: Self.lee)
        let gateway = ScriptedGateway()
        await #expect(throws: ParleyError.self) { try await lee.sending.send(to: Fixtures.sarah, OutgoingMessage(body: Self.text), via: gateway) }
        let held = try #require(try lee.approvals.waiting().first)
        #expect(held.review == ["texts by lee are reviewed", "first contact"])

        let sam = try mailbox(fixture, as: Self.sam, minutes: 5)
        #expect(throws: ParleyError.self) { try sam.approvals.edit(held.id, body: " ") }
        let edited = try sam.approvals.edit(held.id, body: Self.text.replacingOccurrences(of: "Dana", with: "Sam"))
        #expect(edited.agent == "sam" && edited.state == .awaitingApproval)
        await #expect(throws: ParleyError.self) { try await sam.approvals.approve(held.id, via: gateway) }

        #expect(throws: ParleyError.self) { try lee.approvals.reject(held.id, reason: "  ") }
        _ = try lee.approvals.reject(held.id, reason: "Sign with your own name")
        #expect(try lee.approvals.waiting().isEmpty)
        #expect(try sam.templates.draft(Fixtures.sarah).body.contains("this is Sam"))
        #expect(gateway.submissions.isEmpty)
    }

    @Test(arguments: StoreKind.allCases) func theAuditFlagsASendThatSkippedTheReview(_ kind: StoreKind) async throws {
        let fixture = try MailboxFixture(kind)
        // An older Parley, without the policy, sent the first contact straight.
        let old = try fixture.mailbox()
        try fixture.grant(Fixtures.sarah)
        _ = try await old.sending.send(to: Fixtures.sarah, OutgoingMessage(body: Self.text), via: ScriptedGateway())
        var config = old.config
        config.review = ReviewPolicy(always: [.firstContact])
        _ = try fixture.store.commit { _ in
            StoreChange(files: [MailboxLayout.configFile: config.fileData()],
                        message: CommitMessage(subject: "Review first contacts", action: .initialize).text, author: Fixtures.agent, time: Fixtures.monday)
        }
        let findings = try Auditor.audit(try fixture.mailbox(), since: nil, until: nil).findings.filter { $0.rule == .approval }
        #expect(findings.count == 1 && findings.first?.detail.contains("first contact") == true)
    }
}
