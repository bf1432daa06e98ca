import Foundation
import ParleyCore
import ParleyTestSupport
import Testing
import ParleyIndex

@Suite struct EvaluationTests {
    @Test func wilsonIntervalsMatchTheirTextbookValues() throws {
        let none = try #require(WilsonInterval(successes: 0, trials: 10))
        #expect(none.low == 0 && abs(none.high - 0.277_53) < 1e-5)
        let half = try #require(WilsonInterval(successes: 5, trials: 10))
        #expect(abs(half.low - 0.236_59) < 1e-5 && abs(half.high - 0.763_41) < 1e-5)
        #expect(WilsonInterval(successes: 1, trials: 0) == nil && WilsonInterval(successes: 11, trials: 10) == nil)
    }

    static func number(_ index: Int) -> PhoneNumber { try! PhoneNumber.parse("+1312555\(2000 + index)") }

    /// 80 appointments on Wednesday 18 March at 10:00: the first 40 customers texted us on Monday and were answered in
    /// five minutes, two of them did not show; of the 40 who did not text, twelve did not show.
    static func appointmentsCSV(changing changed: Int? = nil) -> String {
        var lines = ["phone,appointment_at,status"]
        for index in 0..<80 {
            let noShow = index < 2 || (40..<52).contains(index)
            let status = index == changed ? "Show" : (noShow ? "No Show" : "Show")
            lines.append("\(number(index).e164),2026-03-18 10:00,\(status)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func outcomesImportOnceAndTheEvaluationComparesTextedWithNotTexted() async throws {
        let fixture = try MailboxFixture(.memory)
        for index in 0..<40 {
            _ = try await fixture.mailbox(at: Timestamp.parse("2026-03-16T10:00:00-05:00")!).inbound.receive(
                from: Self.number(index), body: "Is Wednesday still on?", gateway: "sandbox")
            _ = try await fixture.mailbox(at: Timestamp.parse("2026-03-16T10:05:00-05:00")!).sending.send(
                to: Self.number(index), OutgoingMessage(body: "Yes, see you at 10! - Bright Smile Dental. Reply STOP to opt out."), via: ScriptedGateway())
        }
        let mailbox = try fixture.mailbox(at: Timestamp.parse("2026-03-20T09:00:00-05:00")!)
        let importer = OutcomeImport(columns: .init(), useCase: try #require(mailbox.config.monitoring.useCase(named: "appointments")),
                                     values: ["show": "attended"], fileName: "appointments.csv")
        let broken = Self.appointmentsCSV() + "555,2026-03-18 10:00,Show\n+13125559999,tomorrow,Show\n+13125559998,2026-03-18 11:00,Rained off\n"
            + "\(Self.number(0).e164),2026-03-18 10:00,No Show\n"
        let dryRun = try importer.run(broken, on: mailbox, dryRun: true)
        #expect(dryRun.commit == nil && dryRun.imported == 80 && dryRun.duplicatesInFile == [85])
        #expect(dryRun.problems.map(\.line) == [82, 83, 84])
        #expect(dryRun.problems[2].problem.contains("not an outcome of appointments"))
        #expect(try importer.run(broken, on: mailbox, dryRun: false).commit != nil)
        let again = try importer.run(broken, on: mailbox, dryRun: false)
        #expect(again.commit == nil && again.alreadyRecorded == 80)
        let corrected = try importer.run(Self.appointmentsCSV(changing: 0), on: mailbox, dryRun: false)
        #expect(corrected.updated == 1 && corrected.commit != nil)
        _ = try importer.run(Self.appointmentsCSV(), on: mailbox, dryRun: false)

        let evaluation = try ReportMaker.evaluation(OutcomeEvaluation.Query(), for: mailbox)
        #expect(evaluation.comparison.map { "\($0.withOutcome)/\($0.appointments)" } == ["2/40", "12/40"])
        #expect(evaluation.bands.map(\.label) == ["answered within 15m"])
        #expect(evaluation.comparison.map { $0.interval.map { String(format: "%.1f–%.1f", $0.low * 100, $0.high * 100) } }
            == ["1.4–16.5", "18.1–45.4"])
        #expect(evaluation.verdict == "Observational comparison: a no-show rate of 5.0% for appointments whose customer texted with us in the 7 days "
            + "before against 30.0% for the others, a difference of -25.0 points (95% interval -40.8 to -8.4; two-sided p = 0.003). A difference "
            + "this large is unlikely to be chance alone, but who texts is not chance: customers who text may differ from those who do not, so "
            + "this is an association, not proof that texting caused it. Too few to detect the 23% relative drop in no-shows that reminders "
            + "bring in the literature: that needs about 641 appointments in each group (80% power, 5% two-sided); there are 40 and 40.")

        // One day before is too short a window: nobody texted, and 0 appointments cannot be compared.
        var narrow = OutcomeEvaluation.Query()
        narrow.days = 1
        #expect(try ReportMaker.evaluation(narrow, for: mailbox).verdict.hasPrefix("Too few to conclude: 0 appointments outcomes with a conversation in the day before"))
        var wrong = OutcomeEvaluation.Query()
        wrong.outcome = "won"
        #expect(throws: ParleyError.self) { try ReportMaker.evaluation(wrong, for: mailbox) }
    }
}
