import Foundation
import ParleyCore
import ParleyIndex
import ParleyTestSupport
import Testing

/// Automations as files on main, run through the mailbox's own operations:
/// the limits, the gate, the holdout, the answers they read, the records
/// they leave, and the checks a broken file gets.
@Suite struct AutomationsTests {
    static let words = AnswerWords.defaults

    @Test(arguments: [
        ("C", "confirmed"), ("y", "confirmed"), ("Yes!", "confirmed"), ("confirm", "confirmed"), ("👍", "confirmed"), ("👍🏽", "confirmed"),
        ("No problem, see you then", "confirmed"), ("no worries, we'll be there", "confirmed"), ("Yes please", "confirmed"),
        ("R", "rescheduled"), ("Can we move it to another day", "rescheduled"), ("N", "cancelled"), ("no", "cancelled"),
        ("Cancel", "cancelled"), ("I can’t make it", "cancelled"), ("No, can't make it, sorry", "cancelled"),
    ])
    func confirmationAnswersAreRead(text: String, outcome: String) {
        #expect(Self.words.confirmationOutcome(of: text) == outcome, "\(text)")
    }

    /// Near misses a person should read: two ways at once, a question, doubt, a story.
    @Test(arguments: [
        "Yes but I need to reschedule", "Can I come at 3 instead?", "not sure yet", "maybe", "Who is this", "C?", "",
        "Hi, my son broke his tooth at school today and we need to come in as soon as possible, is there anything free", "ok no",
    ])
    func unclearAnswersGoToAPerson(text: String) {
        #expect(Self.words.confirmationOutcome(of: text) == nil, "\(text)")
    }

    @Test func ratingsAreReadFromDigitsAndWords() {
        let cases: [(String, Int?)] = [("5", 5), ("4 stars", 4), ("Very good, thanks", 5), ("good", 4), ("not good", 2), ("Terrible.", 1),
                                       ("10", nil), ("3 or 4", nil), ("how do I pay?", nil)]
        for (text, rating) in cases { #expect(Self.words.rating(of: text) == rating, "\(text)") }
    }

    @Test func theHoldoutIsReproducibleAndNearItsShare() throws {
        let holdout = Holdout.self
        var held = 0
        for index in 0..<4000 {
            let number = try PhoneNumber.parse("+1312555\(String(format: "%04d", index))")
            let first = holdout.draw(number, subject: "AP\(index)", automation: "confirm", key: "0123456789abcdef0123")
            #expect(first == holdout.draw(number, subject: "AP\(index)", automation: "confirm", key: "0123456789abcdef0123"))
            #expect((0..<1).contains(first))
            if first < 0.1 { held += 1 }
        }
        // 10% of 4000 is 400; four standard deviations (±76) leaves chance no room to fail the test.
        #expect((324...476).contains(held), "\(held)")
        let other = try PhoneNumber.parse("+13125550147")
        #expect(holdout.draw(other, subject: "AP1", automation: "confirm", key: "0123456789abcdef0123")
            != holdout.draw(other, subject: "AP1", automation: "confirm", key: "another-key-0123456789"))
    }

    /// Each broken file names its line, and nothing runs while one is broken.
    @Test(arguments: [
        ("trigger: after_hour\ntemplate: after-hours\n", 1, "'trigger' must be one of after_hours, first_inbound, appointment, closed"),
        ("trigger: after_hours\ntemplate: nowhere\n", 2, "no template 'nowhere'"),
        ("trigger: after_hours\ntemplate: after-hours\nuse_case: plumbing\n", 3, "'plumbing' is not a use case"),
        ("trigger: after_hours\ntemplate: after-hours\nlimits:\n  once_per_customer: soon\n", 4, "must be a duration"),
        ("trigger: appointment\nbefore: 24h\ntemplate: appointment-confirm\nholdout:\n  share: 60%\n  key: 0123456789abcdef\n", 5, "0%–50%"),
        ("trigger: appointment\nbefore: 24h\ntemplate: appointment-confirm\nholdout:\n  share: 10%\n  key: short\n", 6, "at least 16"),
        ("trigger: appointment\ntemplate: appointment-confirm\n", 1, "needs 'before'"),
        ("trigger: after_hours\ntemplate: after-hours\nsend_at: 9am\n", 3, "unknown key 'send_at'"),
        ("trigger: after_hours\ntemplate: [after-hours\n", 3, "YAML"),
    ])
    func brokenFilesAreRefusedWithTheirLine(file: String, line: Int, problem: String) async throws {
        let fixture = try MailboxFixture(.memory)
        let mailbox = try fixture.mailbox()
        try Self.commit(["automations/broken.yaml": file], to: mailbox)
        let error = try #require(throws: ParleyError.self) { try mailbox.automations.all() }
        #expect(error.description.hasPrefix("automations/broken.yaml:\(line): "), "\(error)")
        #expect(error.description.contains(problem), "\(error)")
        let before = try mailbox.store.snapshot().revision
        await #expect(throws: ParleyError.self) { try await mailbox.automations.runDue(via: ScriptedGateway()) }
        #expect(try mailbox.store.snapshot().revision == before)
    }

    @Test func anAfterHoursTextGetsOneReplyAndStillWaitsForAPerson() async throws {
        let fixture = try MailboxFixture(.memory)
        try Self.enable("after-hours", in: fixture)
        let saturday = Timestamp.parse("2026-03-14T11:00:00-05:00")!
        let gateway = ScriptedGateway()
        let mailbox = try fixture.mailbox(at: saturday)
        let first = try await mailbox.inbound.receive(from: Fixtures.sarah, body: "Are you open today?", gateway: "sandbox")
        let runs = try await mailbox.automations.received(first.message, via: gateway)
        #expect(runs.map(\.outcome) == ["sent"])
        let later = try fixture.mailbox(at: saturday + 600)
        let second = try await later.inbound.receive(from: Fixtures.sarah, body: "Hello?", gateway: "sandbox")
        #expect(try await later.automations.received(second.message, via: gateway).map(\.outcome) == ["limited"])
        #expect(gateway.submissions.count == 1)

        let conversation = try later.conversations.conversation(Fixtures.sarah)
        let reply = try #require(conversation.messages.first { $0.direction == .outbound })
        #expect(reply.agent == "automation:after-hours" && reply.template == "after-hours")
        let record = try #require(try AutomationRecord.all(of: Fixtures.sarah, in: later.store.snapshot()).first)
        #expect(record.kind == .sent && record.message == reply.id && record.subject == first.message.id)
        // The automatic reply answers nobody: the customer waits for a person since their first text.
        let waiting = try #require(ConversationSummary(conversation).waiting)
        #expect(waiting.party == .customer && waiting.since == first.message.time)
        #expect(try later.store.history(touching: [], limit: 1).first != nil)

        // During business hours nothing is sent.
        let monday = try fixture.mailbox(at: Timestamp.parse("2026-03-16T10:00:00-05:00")!)
        let open = try await monday.inbound.receive(from: Fixtures.tom, body: "Hi", gateway: "sandbox")
        #expect(try await monday.automations.received(open.message, via: gateway).isEmpty)
    }

    /// A gateway that goes silent leaves the text in doubt: not a failure, and no later run sends it again.
    @Test func aTextInDoubtIsNeverSentTwice() async throws {
        let fixture = try MailboxFixture(.memory)
        try Self.enable("after-hours", in: fixture)
        let gateway = ScriptedGateway(name: "twilio", leavesMachine: true, answers: [.failure(.ambiguous(message: "timed out after sending"))])
        let saturday = try fixture.mailbox(at: Timestamp.parse("2026-03-14T11:00:00-05:00")!)
        let text = try await saturday.inbound.receive(from: Fixtures.sarah, body: "Open today?", gateway: "sandbox")
        #expect(try await saturday.automations.received(text.message, via: gateway).map(\.outcome) == ["in_doubt"])
        let later = try fixture.mailbox(at: Timestamp.parse("2026-03-14T23:30:00-05:00")!)
        let again = try await later.inbound.receive(from: Fixtures.sarah, body: "Hello?", gateway: "sandbox")
        #expect(try await later.automations.received(again.message, via: gateway).map(\.outcome) == ["already_done"])
        #expect(gateway.submissions.count == 1)
        #expect(try later.outbox.entries().map(\.state) == [.inDoubt])
    }

    @Test func aConfirmationRecordsTheAnswerAndClosesTheConversation() async throws {
        let fixture = try MailboxFixture(.memory)
        try Self.enable("appointment-confirmation", in: fixture)
        try fixture.grant(Fixtures.sarah)
        let importer = OutcomeImport(columns: { var columns = OutcomeImport.Columns(); columns.outcome = nil; return columns }(),
                                     useCase: try #require(Fixtures.config.monitoring.useCase(named: "appointments")), values: [:], fileName: "book.csv")
        let book = "phone,appointment_at\n\(Fixtures.sarah.e164),2026-03-17 10:00\n"
        #expect(try importer.run(book, on: fixture.mailbox(), dryRun: false).imported == 1)
        #expect(try importer.run(book, on: fixture.mailbox(), dryRun: false).commit == nil)

        let gateway = ScriptedGateway()
        let early = try fixture.mailbox(at: Timestamp.parse("2026-03-15T10:00:00-05:00")!)
        #expect(try await early.automations.runDue(via: gateway).isEmpty)
        let due = try fixture.mailbox(at: Timestamp.parse("2026-03-16T10:30:00-05:00")!)
        let sent = try await due.automations.runDue(via: gateway)
        #expect(sent.map(\.outcome) == ["sent"], "\(sent.map(\.summary))")
        #expect(try await due.automations.runDue(via: gateway).map(\.outcome) == ["already_done"])
        let text = try #require(gateway.submissions.first)
        #expect(text.body == "Hi there, your appointment is on Tuesday 17 March at 10:00 am. Reply C to confirm or R to reschedule, STOP to opt out. - Bright Smile Dental")

        let answering = try fixture.mailbox(at: Timestamp.parse("2026-03-16T11:00:00-05:00")!)
        let answer = try await answering.inbound.receive(from: Fixtures.sarah, body: "No problem, see you then", gateway: "sandbox")
        let read = try await answering.automations.received(answer.message, via: gateway)
        #expect(read.map(\.outcome) == ["answered"])
        let state = try answering.conversations.conversation(Fixtures.sarah).state
        #expect(!state.isOpen && state.outcome == "confirmed")
        // Answered once: a later text is the customer's own, for a person.
        let more = try await answering.inbound.receive(from: Fixtures.sarah, body: "Also, can I bring my son?", gateway: "sandbox")
        #expect(try await answering.automations.received(more.message, via: gateway).isEmpty)

        let report = try ReportMaker.report(ReportQuery(), for: answering)
        #expect(report.automations?.automations.map { "\($0.automation) \($0.sent) \($0.answers)" } == ["appointment-confirmation 1 [\"confirmed\": 1]"])
    }

    @Test func aSatisfactionQuestionFollowsACloseAndItsRatingIsReportedPerAgent() async throws {
        let fixture = try MailboxFixture(.memory)
        try Self.enable("satisfaction", in: fixture)
        try fixture.grant(Fixtures.sarah)
        let gateway = ScriptedGateway()
        let monday = try fixture.mailbox(at: Timestamp.parse("2026-03-16T10:00:00-05:00")!)
        _ = try await monday.sending.send(to: Fixtures.sarah, OutgoingMessage(body: "Hi Sarah, this is Bright Smile Dental. Reply STOP to opt out."),
                                          via: gateway)
        _ = try monday.triage.close(Fixtures.sarah, outcome: "attended", useCase: "appointments")
        let tooSoon = try fixture.mailbox(at: Timestamp.parse("2026-03-16T11:00:00-05:00")!)
        #expect(try await tooSoon.automations.runDue(via: gateway).isEmpty)
        let later = try fixture.mailbox(at: Timestamp.parse("2026-03-16T12:30:00-05:00")!)
        #expect(try await later.automations.runDue(via: gateway).map(\.outcome) == ["sent"])
        let rating = try await later.inbound.receive(from: Fixtures.sarah, body: "5, lovely staff", gateway: "sandbox")
        #expect(try await later.automations.received(rating.message, via: gateway).map(\.outcome) == ["answered"])
        let state = try later.conversations.conversation(Fixtures.sarah).state
        #expect(!state.isOpen && state.outcome == "attended")
        let report = try ReportMaker.report(ReportQuery(), for: later)
        let ratings = try #require(report.automations?.ratings)
        #expect(ratings.map { "\($0.agent) \($0.useCase ?? "-") \($0.answers) \($0.mean ?? 0)" } == ["dana appointments 1 5.0"])
    }

    @Test func theHoldoutHoldsOutWithoutTextingAndOnlyWhomTheGateWouldLetItText() async throws {
        let fixture = try MailboxFixture(.memory)
        try Self.enable("appointment-confirmation", in: fixture, extra: "holdout:\n  share: 50%\n  key: 0123456789abcdef0123\n")
        var lines = ["phone,appointment_at"]
        var numbers: [PhoneNumber] = []
        for index in 0..<12 {
            let number = try PhoneNumber.parse("+1312555\(3000 + index)")
            numbers.append(number)
            if index < 10 { try fixture.grant(number) }
            lines.append("\(number.e164),2026-03-17 10:00")
        }
        let importer = OutcomeImport(columns: { var columns = OutcomeImport.Columns(); columns.outcome = nil; return columns }(),
                                     useCase: try #require(Fixtures.config.monitoring.useCase(named: "appointments")), values: [:], fileName: "book.csv")
        _ = try importer.run(lines.joined(separator: "\n"), on: fixture.mailbox(), dryRun: false)
        let gateway = ScriptedGateway()
        let due = try fixture.mailbox(at: Timestamp.parse("2026-03-16T10:30:00-05:00")!)
        let runs = try await due.automations.runDue(via: gateway)
        let automation = try due.automations.named("appointment-confirmation")
        // The two customers without consent are refused by the gate and never drawn; the others by the keyed hash.
        #expect(runs.filter { $0.outcome == "refused" }.map(\.number) == Array(numbers[10...]))
        for run in runs where run.outcome != "refused" {
            let heldOut = try #require(automation.holdout).holdsOut(run.number, subject: run.subject, automation: automation.name)
            #expect(run.outcome == (heldOut ? "held_out" : "sent"))
        }
        #expect(gateway.submissions.count == runs.filter { $0.outcome == "sent" }.count)
        #expect(try await due.automations.runDue(via: gateway).allSatisfy { $0.outcome == "already_done" || $0.outcome == "refused" })
    }

    /// Turns on an example automation `parley init` installed (off), optionally with more lines.
    static func enable(_ name: String, in fixture: MailboxFixture, extra: String = "") throws {
        let mailbox = try fixture.mailbox()
        let path = Automation.path(name)
        let text = String(decoding: try #require(try mailbox.store.snapshot().read(path)), as: UTF8.self)
        try commit([path: text.replacingOccurrences(of: "enabled: false", with: "enabled: true") + extra], to: mailbox)
    }

    static func commit(_ files: [String: String], to mailbox: Mailbox) throws {
        _ = try mailbox.store.commit { _ in
            StoreChange(files: files.mapValues { Optional(Data($0.utf8)) }, message: "Edit automations", author: mailbox.agent, time: mailbox.clock.now())
        }
    }
}
