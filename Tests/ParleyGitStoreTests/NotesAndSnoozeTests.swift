import Foundation
import ParleyCore
import ParleyIndex
import ParleyTestSupport
import Testing

/// Internal notes with mentions, handoffs with a reason, and snoozes: each
/// an event on the records branch, folded into the conversation's state and
/// read by the inbox through the derived index.
@Suite struct NotesAndSnoozeTests {
    let sam = Agent(handle: "sam", name: "Sam Patel", email: "sam@example.com")

    @Test(arguments: StoreKind.allCases) func aNoteMentionsAnAgentUntilTheConversationCloses(_ kind: StoreKind) async throws {
        let fixture = try MailboxFixture(kind)
        let mailbox = try fixture.mailbox()
        _ = try await mailbox.inbound.receive(from: Fixtures.sarah, body: "Can I come Saturday?", gateway: "sandbox")
        let before = try fixture.store.history(touching: [], limit: nil).count
        #expect(throws: ParleyError.self) { try mailbox.triage.note(Fixtures.sarah, "  \n ") }
        #expect(throws: ParleyError.self) { try mailbox.triage.note(Fixtures.tom, "nobody here") }
        #expect(try fixture.store.history(touching: [], limit: nil).count == before)

        guard case .changed(_, let state) = try mailbox.triage.note(Fixtures.sarah, "@Sam can you check? Mail her at sarah@example.com")
        else { Issue.record("the note was not recorded"); return }
        #expect(state.mentions == ["sam"])
        let note = try #require(try mailbox.conversations.conversation(Fixtures.sarah).events.last)
        #expect(note.kind == .note && note.note == "@Sam can you check? Mail her at sarah@example.com" && note.mentions == ["sam"])
        let found = try MessageSearch(text: "check").results(in: mailbox)
        #expect(found.hits.isEmpty && found.notes.map(\.eventID) == [note.id])

        let samsMailbox = try fixture.mailbox(at: Fixtures.monday.addingTimeInterval(60), agent: sam)
        #expect(try samsMailbox.conversations.inbox(InboxFilter(onlyMine: true)).entries.map(\.summary.number) == [Fixtures.sarah])
        #expect(try mailbox.conversations.inbox(InboxFilter(onlyMine: true)).entries.isEmpty)
        _ = try mailbox.triage.close(Fixtures.sarah)
        _ = try mailbox.triage.reopen(Fixtures.sarah)
        #expect(try samsMailbox.conversations.inbox(InboxFilter(onlyMine: true)).entries.isEmpty)
    }

    @Test(arguments: StoreKind.allCases) func aHandoffRecordsItsReasonEvenToTheSameAgent(_ kind: StoreKind) async throws {
        let fixture = try MailboxFixture(kind)
        let mailbox = try fixture.mailbox()
        _ = try await mailbox.inbound.receive(from: Fixtures.sarah, body: "Billing question", gateway: "sandbox")
        _ = try mailbox.triage.assign(Fixtures.sarah, to: "sam")
        guard case .changed = try mailbox.triage.assign(Fixtures.sarah, to: "sam", note: "She prefers mornings") else {
            Issue.record("a handoff note to the same agent was dropped"); return
        }
        let events = try mailbox.conversations.conversation(Fixtures.sarah).events
        #expect(events.map(\.kind) == [.assign, .assign] && events.last?.note == "She prefers mornings")
        #expect(throws: ParleyError.self) { try mailbox.triage.assign(Fixtures.sarah, to: "sam", note: " ") }
    }

    @Test(arguments: StoreKind.allCases) func aSnoozeHidesTheConversationUntilItsTimeOrTheCustomerWrites(_ kind: StoreKind) async throws {
        let fixture = try MailboxFixture(kind)
        let start = Fixtures.monday
        func at(_ hours: Double) throws -> Mailbox { try fixture.mailbox(at: start.addingTimeInterval(hours * 3600)) }
        _ = try await at(0).inbound.receive(from: Fixtures.sarah, body: "Is my crown ready?", gateway: "sandbox")
        _ = try await at(0).inbound.receive(from: Fixtures.tom, body: "Need to reschedule", gateway: "sandbox")

        #expect(throws: ParleyError.self) { try at(1).triage.snooze(Fixtures.sarah, until: start) }
        guard case .changed(_, let snoozed) = try at(1).triage.snooze(Fixtures.sarah, until: start.addingTimeInterval(5 * 3600)) else {
            Issue.record("the snooze was not recorded"); return
        }
        #expect(snoozed.isSnoozed(at: start.addingTimeInterval(2 * 3600)))
        #expect(try at(2).conversations.inbox().entries.map(\.summary.number) == [Fixtures.tom])
        let withSnoozed = try at(2).conversations.inbox(InboxFilter(includeSnoozed: true)).entries
        let sarah = try #require(withSnoozed.first { $0.summary.number == Fixtures.sarah })
        // Snoozed: waiting on the customer, so never overdue.
        #expect(sarah.waiting == .us && sarah.overdue == nil)
        // Listed after the customers waiting, though Sarah wrote first: the inbox streams in the order it prints.
        #expect(withSnoozed.map(\.summary.number) == [Fixtures.tom, Fixtures.sarah])
        let page = try at(2).conversations.inbox(InboxFilter(includeSnoozed: true), limit: 1)
        #expect(page.entries.map(\.summary.number) == [Fixtures.tom])
        #expect(page.outline.total == 2 && page.outline.customerWaiting == 1 && page.outline.customersListed == 1 && page.outline.othersListed == 0)
        var streamed: [InboxEntry] = []
        var outline: InboxOutline?
        try at(2).conversations.inbox(InboxFilter(includeSnoozed: true), limit: nil, progress: nil, begin: { outline = $0 },
                                      each: { streamed.append($0) })
        #expect(streamed == withSnoozed && outline?.listed == 2 && outline?.othersListed == 1)
        // Back by itself when the time comes.
        #expect(try at(6).conversations.inbox().entries.count == 2)

        _ = try at(7).triage.snooze(Fixtures.tom, until: nil)
        #expect(try at(8).conversations.inbox().entries.map(\.summary.number) == [Fixtures.sarah])
        _ = try await at(9).inbound.receive(from: Fixtures.tom, body: "Friday works", gateway: "sandbox")
        #expect(try at(9).conversations.inbox().entries.count == 2)

        _ = try at(10).triage.snooze(Fixtures.tom, until: nil)
        guard case .changed = try at(10).triage.wake(Fixtures.tom) else { Issue.record("the wake was not recorded"); return }
        #expect(try at(11).conversations.inbox().entries.count == 2)
        guard case .unchanged = try at(11).triage.wake(Fixtures.tom) else { Issue.record("woke a conversation that was not snoozed"); return }
        #expect(try ReportMaker.report(ReportQuery(), for: at(12)).teamwork?.snoozes == 3)
    }
}
