import Foundation
import ParleyCore
import ParleyTestSupport
import Testing

/// Automations as a business meets them, through the built binary and the
/// sandbox gateway: files reviewed on main, a dry run against history that
/// writes nothing, appointments imported and confirmed, a broken file that
/// stops everything with its line, and the report's counts.
@Suite struct AutomationsEndToEndTests {
    let directory = TemporaryDirectory("automations-e2e")

    /// A mailbox with the example automations `parley init` installed, switched on.
    func mailbox() throws -> String {
        let repo = try ParleyBinary.initMailbox(in: directory, name: "clinic")
        for name in ["after-hours", "appointment-confirmation", "satisfaction"] {
            let path = "\(repo)/automations/\(name).yaml"
            let text = try String(contentsOfFile: path, encoding: .utf8)
            try text.replacingOccurrences(of: "enabled: false", with: "enabled: true").write(toFile: path, atomically: true, encoding: .utf8)
        }
        try Shell.git(["commit", "-qam", "Turn the automations on"], in: repo)
        return repo
    }

    func heads(_ repo: String) throws -> String { try Shell.git(["rev-parse", "HEAD", "mailbox"], in: repo).standardOutput }

    @Test func afterHoursTextsAreAnsweredOnceAndTheDryRunWritesNothing() throws {
        let repo = try mailbox()
        let saturday = ["PARLEY_NOW": "2026-03-14T11:00:00-05:00"]
        let first = try ParleyBinary.run(["receive", "--from", "3125550147", "--body", "Are you open today?"], in: repo, environment: saturday)
        #expect(first.status == 0, "\(first.standardError)")
        #expect(first.standardOutput.contains("automation after-hours → +13125550147"))
        #expect(first.standardOutput.contains(": sent "))
        let second = try ParleyBinary.run(["receive", "--from", "3125550147", "--body", "Hello?", "--json"], in: repo,
                                          environment: ["PARLEY_NOW": "2026-03-14T11:05:00-05:00"])
        #expect(second.standardOutput.contains("at most once per customer per 12h"))
        let log = try Shell.git(["log", "--format=%an|%s", "mailbox"], in: repo).standardOutput
        #expect(log.components(separatedBy: "\n").filter { $0.hasPrefix("after-hours (automation)|Send message") }.count == 1)
        let inbox = try ParleyBinary.run(["inbox", "--json"], in: repo, environment: ["PARLEY_NOW": "2026-03-14T12:00:00-05:00"])
        #expect(inbox.standardOutput.contains("\"waiting\" : \"customer\""))

        // A late-night text: the dry run says quiet hours would refuse it; nothing is written.
        _ = try ParleyBinary.run(["receive", "--from", "3125550123", "--body", "Need to cancel", "--no-reply"], in: repo,
                                 environment: ["PARLEY_NOW": "2026-03-14T22:30:00-05:00"])
        let before = try heads(repo)
        let test = try ParleyBinary.run(["automations", "test", "after-hours", "--since", "2026-03-01"], in: repo,
                                        environment: ["PARLEY_NOW": "2026-03-20T10:00:00-05:00"])
        #expect(test.status == 0, "\(test.standardError)")
        #expect(test.standardOutput.contains("+13125550123  refused: quiet_hours"))
        #expect(test.standardOutput.contains("+13125550147  would send"))
        #expect(test.standardOutput.contains("Nothing was sent or written."))
        let json = try ParleyBinary.run(["automations", "test", "after-hours", "--since", "2026-03-01", "--json"], in: repo,
                                        environment: ["PARLEY_NOW": "2026-03-20T10:00:00-05:00"])
        let items = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [[String: Any]])
        #expect(items.map { $0["decision"] as? String } == ["send", "limited", "refused"])
        #expect(try heads(repo) == before)
    }

    @Test func anAppointmentIsConfirmedByTheCustomersAnswerAndReported() throws {
        let repo = try mailbox()
        try ParleyBinary.grantConsent("3125550147", in: repo)
        let book = directory.path + "/book.csv"
        try "phone,appointment_at\n(312) 555-0147,2026-03-17 10:00\n".write(toFile: book, atomically: true, encoding: .utf8)
        let imported = try ParleyBinary.run(["appointments", "import", book], in: repo)
        #expect(imported.standardOutput.hasPrefix("Imported 1 and updated 0 of 1 rows"), "\(imported.standardError)")
        let due = ["PARLEY_NOW": "2026-03-16T10:30:00-05:00"]
        let run = try ParleyBinary.run(["automations", "run", "--json"], in: repo, environment: due)
        #expect(run.status == 0, "\(run.standardError)")
        #expect(run.standardOutput.contains("\"outcome\" : \"sent\""))
        let again = try ParleyBinary.run(["automations", "run"], in: repo, environment: due)
        #expect(again.standardOutput.contains("already done: texted at"))
        let trailers = try Shell.git(["log", "-1", "--format=%B", "mailbox"], in: repo).standardOutput
        #expect(trailers.contains("Parley-Automation: appointment-confirmation"))

        let answer = try ParleyBinary.run(["receive", "--from", "3125550147", "--body", "C"], in: repo,
                                          environment: ["PARLEY_NOW": "2026-03-16T11:00:00-05:00"])
        #expect(answer.standardOutput.contains("answer read as confirmed"))
        let thread = try ParleyBinary.run(["thread", "3125550147"], in: repo)
        #expect(thread.standardOutput.contains("closed it: confirmed"))
        let report = try ParleyBinary.run(["report", "--json"], in: repo)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.standardOutput.utf8)) as? [String: Any])
        let automations = try #require((object["automations"] as? [String: Any])?["automations"] as? [[String: Any]])
        #expect(automations.first?["automation"] as? String == "appointment-confirmation")
        #expect((automations.first?["answers"] as? [String: Int]) == ["confirmed": 1])
        #expect(try ParleyBinary.run(["report"], in: repo).standardOutput.contains("appointment-confirmation    1 sent, answers: confirmed ×1"))
        // The audit replays the automation's text like any send: judged, and it kept the rules.
        let audit = try ParleyBinary.run(["audit", "--json"], in: repo)
        #expect(audit.status == 0, "\(audit.standardOutput)")
        let counts = try #require((try JSONSerialization.jsonObject(with: Data(audit.standardOutput.utf8)) as? [String: Any])?["counts"] as? [String: Int])
        #expect(counts["outbound"] == 1 && counts["automated"] == 0)
    }

    @Test func aBrokenAutomationFileIsRefusedWithItsLineAndNothingRuns() throws {
        let repo = try mailbox()
        try "trigger: appointment\nbefore: 24h\ntemplate: appointment-confirm\nuse_case: appointments\nholdout:\n  share: 80%\n  key: 0123456789abcdef\n"
            .write(toFile: repo + "/automations/study.yaml", atomically: true, encoding: .utf8)
        try Shell.git(["add", "automations/study.yaml"], in: repo)
        try Shell.git(["commit", "-qm", "A study"], in: repo)
        let before = try heads(repo)
        let list = try ParleyBinary.run(["automations", "list"], in: repo)
        #expect(list.status == 65)
        #expect(list.standardError.contains("automations/study.yaml:6: 'share' must be a share from 0%–50%"), "\(list.standardError)")
        let run = try ParleyBinary.run(["automations", "run"], in: repo)
        #expect(run.status == 65)
        // A customer's text is stored all the same; the automations' failure is a warning.
        let received = try ParleyBinary.run(["receive", "--from", "3125550147", "--body", "Hi"], in: repo,
                                            environment: ["PARLEY_NOW": "2026-03-14T11:00:00-05:00"])
        #expect(received.status == 0 && received.standardError.contains("parley: warning: the automations did not run"))
        #expect(try Shell.git(["rev-parse", "HEAD"], in: repo).standardOutput.split(separator: "\n").first
            == before.split(separator: "\n").first)
        let help = try ParleyBinary.run(["automations", "run", "--help"], in: repo)
        #expect(help.standardOutput.contains("Examples:"))
    }
}
