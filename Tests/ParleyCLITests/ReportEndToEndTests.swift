import Foundation
import ParleyTestSupport
import Testing

/// The monitoring commands as a person runs them: use cases, outcomes, overdue, the report and the evaluation.
@Suite struct ReportEndToEndTests {
    let directory = TemporaryDirectory("report-e2e")

    @Test func useCasesOutcomesOverdueAndTheReportWorkThroughTheBinary() throws {
        let repo = try ParleyBinary.initMailbox(in: directory)
        let thursdayNight = ["PARLEY_NOW": "2026-03-05T20:59:00-06:00"], fridayMorning = ["PARLEY_NOW": "2026-03-06T09:16:00-06:00"]
        try ParleyBinary.run(["receive", "--from", "(312) 555-0147", "--id", "SM1", "--body", "Can I move my cleaning?"], in: repo,
                             environment: thursdayNight).requireSuccess()
        let listed = try ParleyBinary.run(["use-case"], in: repo)
        #expect(listed.standardOutput.contains("appointments: first reply 15m, reply 1h, resolution 8h; outcomes confirmed"))

        // 16 business minutes after Thursday 20:59 (opening 09:00): past the strictest first-reply target.
        let overdue = try ParleyBinary.run(["inbox", "--overdue"], in: repo, environment: fridayMorning)
        #expect(overdue.standardOutput.contains("[overdue: 16m of business time, target 15m]"))
        #expect(try ParleyBinary.run(["inbox", "--overdue", "--json"], in: repo, environment: fridayMorning).standardOutput
            .contains("\"measure\" : \"first_reply\""))
        #expect(try ParleyBinary.run(["inbox", "--overdue"], in: repo, environment: ["PARLEY_NOW": "2026-03-06T09:10:00-06:00"])
            .standardOutput.contains("Nothing waiting"))

        try ParleyBinary.run(["use-case", "(312) 555-0147", "appointments"], in: repo, environment: fridayMorning).requireSuccess()
        let unknown = try ParleyBinary.run(["close", "(312) 555-0147", "--outcome", "won"], in: repo, environment: fridayMorning)
        #expect(unknown.status != 0 && unknown.standardError.contains("'won' is not an outcome of appointments"))
        try ParleyBinary.grantConsent("(312) 555-0147", in: repo)
        try ParleyBinary.run(["send", "(312) 555-0147", "--body", "Sure! Tuesday 10 am? Reply STOP to opt out. - Bright Smile Dental"], in: repo,
                             environment: ["PARLEY_NOW": "2026-03-06T09:20:00-06:00"]).requireSuccess()
        let closed = try ParleyBinary.run(["close", "(312) 555-0147", "--outcome", "rescheduled"], in: repo,
                                          environment: ["PARLEY_NOW": "2026-03-06T09:30:00-06:00"])
        #expect(closed.standardOutput.hasPrefix("Closed as rescheduled"))

        let report = try ParleyBinary.run(["report", "--since", "2026-03-01", "--json"], in: repo)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.standardOutput.utf8)) as? [String: Any])
        let total = try #require(json["total"] as? [String: Any])
        #expect(total["messagesIn"] as? Int == 1 && total["messagesOut"] as? Int == 1 && total["conversationsClosed"] as? Int == 1)
        let firstReply = try #require((total["firstReply"] as? [String: Any])?["business"] as? [String: Any])
        #expect(firstReply["median"] as? Double == Double(20 * 60))
        let text = try ParleyBinary.run(["report"], in: repo)
        #expect(text.standardOutput.contains("appointments          rescheduled 1 (100%)"))
        let csv = try ParleyBinary.run(["report", "--by", "day", "--csv"], in: repo)
        #expect(csv.standardOutput.hasPrefix("day,messages_in,messages_out,conversations_opened,conversations_closed,first_reply_count,"))
        #expect(csv.standardOutput.contains("\r\n2026-03-05,1,0,1,0,0,"))
        #expect(try ParleyBinary.run(["report", "--since", "yesterday"], in: repo).standardError.contains("--since 'yesterday' is neither a day"))

        // An appointment book's export: a bad row is named by its line and nothing of it is imported.
        let export = directory.file("book.csv")
        try "phone,appointment_at,status\n(312) 555-0147,2026-03-10 10:00,Show\n(312) 555-01,2026-03-10 11:00,Show\n".write(toFile: export, atomically: true,
                                                                                                                     encoding: .utf8)
        let imported = try ParleyBinary.run(["outcome", "import", export, "--value", "Show=attended"], in: repo)
        #expect(imported.status != 0 && imported.standardError.contains("book.csv:3: "))
        #expect(imported.standardOutput.hasPrefix("Imported 1 and updated 0 of 2 rows"))
        let evaluation = try ParleyBinary.run(["report", "evaluation"], in: repo)
        #expect(evaluation.standardOutput.contains("Too few to conclude: 1 appointments outcomes with a conversation in the 7 days before and 0 without"))
        let page = directory.file("report.html")
        try ParleyBinary.run(["report", "--html", page], in: repo).requireSuccess()
        let html = try String(contentsOfFile: page, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("<svg") && !html.contains("<script"))
    }
}
