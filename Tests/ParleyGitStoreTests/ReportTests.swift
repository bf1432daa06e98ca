import Foundation
import ParleyCore
import ParleyGitStore
import ParleyTestSupport
import Testing
import ParleyIndex

/// Every figure of a report, checked against answers worked out by hand, on
/// a history made by two clones that sync: business hours Monday–Friday
/// 08:00–17:00 in Chicago, Monday 9 March 2026 closed, and the daylight-
/// saving change on Sunday 8 March (CST −06:00 before, CDT −05:00 after).
@Suite struct ReportTests {
    static let sarah = try! PhoneNumber.parse("+13125550147"), tom = try! PhoneNumber.parse("+13125550123")
    static let ken = try! PhoneNumber.parse("+14145550112")

    static var config: MailboxConfig {
        var config = Fixtures.config
        config.monitoring.businessHours = BusinessHours(
            week: (0..<7).map { (1...5).contains($0) ? [BusinessHours.Opening(start: 8 * 60, end: 17 * 60)] : [] },
            closedDays: [BusinessHours.day("2026-03-09")!])
        return config
    }

    static func at(_ text: String) -> Date { Timestamp.parse(text)! }

    static func body(_ text: String) -> OutgoingMessage { OutgoingMessage(body: text + " - Bright Smile Dental. Reply STOP to opt out.") }

    /// The history; returns the team after both clones synced.
    static func makeHistory() async throws -> Team {
        let team = try Team(clones: ["dana", "sam"], config: config)
        let gateway = ScriptedGateway(name: "sandbox")
        for number in [sarah, tom, ken] {
            try team.mailbox("dana", at: at("2026-03-05T12:00:00-06:00")).consent.grant(
                number, name: nil, disclosure: "I agree to texts from Bright Smile Dental.", purpose: "appointments", method: .paper, source: "desk")
        }
        try sync(team, "dana", "sam")

        // Sarah: a text at 20:59 answered at 08:05 next morning from a template, a handoff to sam, closed as rescheduled.
        _ = try await team.mailbox("dana", at: at("2026-03-05T20:59:00-06:00")).inbound.receive(from: sarah, body: "Can I move my cleaning?", gateway: "sandbox")
        let morning = try team.mailbox("dana", at: at("2026-03-06T08:05:00-06:00"))
        _ = try morning.triage.assign(sarah, to: "dana")
        var offer = body("Hi Sarah, we can move it to Tuesday 10 am or Wednesday 2 pm")
        offer.template = try morning.templates.template("reschedule")
        _ = try await morning.sending.send(to: sarah, offer, via: gateway)
        _ = try await team.mailbox("dana", at: at("2026-03-06T08:20:00-06:00")).inbound.receive(from: sarah, body: "Tuesday please", gateway: "sandbox")
        _ = try team.mailbox("dana", at: at("2026-03-06T08:30:00-06:00")).triage.assign(sarah, to: "sam")
        try sync(team, "dana", "sam")
        _ = try await team.mailbox("sam", at: at("2026-03-06T09:50:00-06:00")).sending.send(to: sarah, body("Booked: Tuesday 10 am"), via: gateway)
        _ = try team.mailbox("sam", at: at("2026-03-06T10:00:00-06:00")).triage.close(sarah, outcome: "rescheduled")
        try sync(team, "sam", "dana")

        // Tom: Friday 16:50, answered Tuesday 08:10 across the weekend, the DST change and the closed Monday; won.
        _ = try await team.mailbox("dana", at: at("2026-03-06T16:50:00-06:00")).inbound.receive(from: tom, body: "Is the whitening offer still on?",
                                                                                        gateway: "sandbox")
        _ = try await team.mailbox("dana", at: at("2026-03-10T08:10:00-05:00")).sending.send(to: tom, body("Yes, until Friday"), via: gateway)
        _ = try team.mailbox("dana", at: at("2026-03-10T08:30:00-05:00")).triage.close(tom, outcome: "won", useCase: "sales")

        // Ken, out of order: dana's clone stores his 10:00 text but syncs only after sam's 10:20 message reached the hub.
        _ = try await team.mailbox("dana", at: at("2026-03-11T10:00:00-05:00")).inbound.receive(from: ken, body: "Is parking free?", gateway: "sandbox")
        _ = try await team.mailbox("sam", at: at("2026-03-11T10:20:00-05:00")).sending.send(to: ken, body("Parking is free behind the building"),
                                                                                   via: gateway)
        try sync(team, "sam", "dana")
        _ = try await team.mailbox("dana", at: at("2026-03-11T11:00:00-05:00")).inbound.receive(from: ken, body: "STOP", gateway: "sandbox")
        try sync(team, "dana", "sam")
        return team
    }

    static func sync(_ team: Team, _ names: String...) throws {
        for name in names { _ = try team.stores[name]!.sync(authentication: team.authentication) }
    }

    static func minutes(_ value: Double?) -> Double? { value.map { $0 / 60 } }

    @Test func everyFigureMatchesTheHandComputedAnswerOnEveryClone() async throws {
        let team = try await Self.makeHistory()
        let report = try ReportMaker.report(ReportQuery(), for: team.mailbox("dana", at: Self.at("2026-03-12T09:00:00-05:00")))
        let total = report.total
        #expect((total.messagesIn, total.messagesOut, total.conversationsOpened, total.conversationsClosed) == (5, 4, 3, 2))

        // First replies: Sarah 5 business minutes (666 calendar), Tom 10 + 10 (5,180: Fri 22:50Z → Tue 13:10Z), Ken 20.
        #expect(total.firstReply.count == 3)
        #expect(Self.minutes(total.firstReply.business?.median) == 20 && Self.minutes(total.firstReply.business?.max) == 20)
        #expect(Self.minutes(total.firstReply.calendar?.median) == 666 && Self.minutes(total.firstReply.calendar?.max) == 5180)
        // Targets: Sarah's appointments 15m met, Tom's sales 1h met; Ken has no use case, so the strictest
        // first-reply target (15m) applies, and 20 minutes misses it.
        #expect(total.firstReply.withinTarget == 2.0 / 3.0)
        // Sam's reply to Sarah after the handoff: 08:20 → 09:50, over the 1h appointments target.
        #expect(total.reply.count == 1 && Self.minutes(total.reply.business?.max) == 90 && total.reply.withinTarget == 0)
        // Resolution: Sarah 20:59 → 10:00 next day (120 business, 781 calendar); Tom 40 business, 5,200 calendar.
        #expect(Self.minutes(total.resolution.business?.median) == 80 && Self.minutes(total.resolution.calendar?.max) == 5200)
        #expect(total.resolution.withinTarget == 1)
        // Customer wait: Sarah 5 + 90 = 95 business (666 + 90 calendar), Tom 20 (5,180).
        #expect(Self.minutes(total.customerWait.business?.max) == 95 && Self.minutes(total.customerWait.business?.median) == 57.5)
        #expect(Self.minutes(total.customerWait.calendar?.median) == 2968)  // (756 + 5,180) / 2

        let byAgent = Dictionary(uniqueKeysWithValues: report.byAgent.map { ($0.key, $0) })
        #expect(byAgent["dana"]?.firstReply.count == 2 && byAgent["sam"]?.firstReply.count == 1 && byAgent["sam"]?.reply.count == 1)
        #expect(byAgent["sam"]?.conversationsClosed == 1 && byAgent["dana"]?.conversationsClosed == 1)
        #expect(report.outcomes.map { "\($0.useCase) \($0.outcome) \($0.count) \($0.rate)" } == ["appointments rescheduled 1 1.0", "sales won 1 1.0"])
        let agents = Dictionary(uniqueKeysWithValues: report.agents.map { ($0.key, $0) })
        #expect(agents["dana"].map { ($0.sent, $0.replied, $0.optOuts) } ?? (0, 0, 0) == (2, 1, 0))
        #expect(agents["sam"].map { ($0.sent, $0.replied, $0.optOuts) } ?? (0, 0, 0) == (2, 1, 1))
        #expect(report.templates.first { $0.key == "reschedule" }?.replied == 1)

        // Friday only: Sarah's 08:20 and Tom's 16:50 in, dana's and sam's replies out, Sarah closed, Tom opened.
        let friday = try ReportMaker.report(ReportQuery(since: Self.at("2026-03-06T00:00:00-06:00"), until: Self.at("2026-03-07T00:00:00-06:00")),
                                            for: team.mailbox("dana", at: Self.at("2026-03-12T09:00:00-05:00")))
        #expect((friday.total.messagesIn, friday.total.messagesOut, friday.total.conversationsOpened, friday.total.conversationsClosed) == (2, 2, 1, 1))

        // Sam alone: his two messages, his reply after the handoff and his first reply to Ken, and Sarah's close (his at the
        // time); Sarah's 08:20 text arrived while she was still dana's.
        let sam = try ReportMaker.report(ReportQuery(agent: "sam"), for: team.mailbox("dana", at: Self.at("2026-03-12T09:00:00-05:00")))
        #expect((sam.total.messagesIn, sam.total.messagesOut, sam.total.conversationsClosed) == (0, 2, 1))
        #expect((sam.total.firstReply.count, sam.total.reply.count) == (1, 1))

        // The other clone, with its own index, gets the same report to the byte.
        let other = try ReportMaker.report(ReportQuery(), for: team.mailbox("sam", at: Self.at("2026-03-12T09:00:00-05:00")))
        #expect(try Self.json(other) == Self.json(report))
    }

    @Test func aCustomerWaitingPastTheTargetInBusinessTimeIsOverdueInTheInbox() async throws {
        let fixture = try MailboxFixture(.memory)
        // Thursday 20:59; opening hours are Monday–Friday 09:00–17:00 (the default), no use case: the strictest target, 15m.
        _ = try await fixture.mailbox(at: Self.at("2026-03-05T20:59:00-06:00")).inbound.receive(from: Self.sarah, body: "Can I move it?", gateway: "sandbox")
        let early = try fixture.mailbox(at: Self.at("2026-03-06T09:14:00-06:00")).conversations.inbox()
        #expect(early.entries.first?.overdue == nil)
        #expect(try fixture.mailbox(at: Self.at("2026-03-06T09:14:00-06:00")).conversations.inbox(InboxFilter(onlyOverdue: true)).entries.isEmpty)
        let late = try fixture.mailbox(at: Self.at("2026-03-06T09:16:00-06:00"))
        let overdue = try late.conversations.inbox(InboxFilter(onlyOverdue: true))
        #expect(overdue.entries.map(\.summary.number) == [Self.sarah])
        let breach = try #require(overdue.entries.first?.overdue)
        #expect(breach.measure == .firstReply && breach.target == 900 && breach.waited == 960 && breach.since == Self.at("2026-03-05T20:59:00-06:00"))
        // Answered, then a new question: the reply target (1h for appointments) applies from the new question.
        _ = try late.triage.setUseCase(Self.sarah, to: "appointments")
        try fixture.grant(Self.sarah, at: Self.at("2026-03-06T09:16:00-06:00"))
        _ = try await late.sending.send(to: Self.sarah, Self.body("Yes, Tuesday 10 am"), via: ScriptedGateway())
        _ = try await fixture.mailbox(at: Self.at("2026-03-06T09:20:00-06:00")).inbound.receive(from: Self.sarah, body: "Or 11?", gateway: "sandbox")
        #expect(try fixture.mailbox(at: Self.at("2026-03-06T10:19:00-06:00")).conversations.inbox().entries.first?.overdue == nil)
        #expect(try fixture.mailbox(at: Self.at("2026-03-06T10:21:00-06:00")).conversations.inbox().entries.first?.overdue?.measure == .reply)
    }

    @Test func aConversationThatCannotBeReadIsNamedNotSilentlyLeftOut() async throws {
        let fixture = try MailboxFixture(.memory)
        let mailbox = try fixture.mailbox(at: Self.at("2026-03-05T10:00:00-06:00"))
        _ = try await mailbox.inbound.receive(from: Self.sarah, body: "Hello", gateway: "sandbox")
        _ = try await mailbox.inbound.receive(from: Self.tom, body: "Hi", gateway: "sandbox")
        let broken = MailboxLayout.contactPath(Self.tom)
        _ = try fixture.store.commit { _ in
            StoreChange(files: [broken: Data("---\nnumber: [\n---\n".utf8)], message: "Break a contact by hand", author: Fixtures.agent,
                        time: Self.at("2026-03-05T10:01:00-06:00"))
        }
        let report = try ReportMaker.report(ReportQuery(), for: mailbox)
        #expect(report.total.messagesIn == 1)
        #expect(report.unreadable.count == 1 && report.unreadable[0].hasPrefix(broken))
    }

    static func json(_ report: Report) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(report), as: UTF8.self)
    }
}
