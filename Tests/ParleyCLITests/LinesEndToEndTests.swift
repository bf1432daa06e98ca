import Foundation
import ParleyCore
import ParleyTestSupport
import Testing

/// Lines and deliverability as a team meets them, through the built binary
/// and the sandbox's simulated carrier errors.
@Suite struct LinesEndToEndTests {
    let directory = TemporaryDirectory("lines-e2e")
    let welcome = "Hi, this is Bright Smile Dental. Reply STOP to opt out. - Bright Smile Dental"
    let now = ["PARLEY_NOW": "2026-03-09T10:00:00-05:00"]

    static let lines = """

        campaigns:
          - id: CAPPT01
        lines:
          - name: front-desk
            number: "+13125550100"
            campaign: CAPPT01
            use_cases: [appointments, support]
          - name: events
            number: "+13125550188"
            use_cases: [events]
        deliverability:
          pause_window: 2
          pause_share: 50%

        """

    func mailbox(_ name: String = "clinic", lines: String = Self.lines) throws -> String {
        let repo = try ParleyBinary.initMailbox(in: directory, name: name)
        let config = try String(contentsOfFile: repo + "/parley.yaml", encoding: .utf8)
        try (config + lines).write(toFile: repo + "/parley.yaml", atomically: true, encoding: .utf8)
        try Shell.git(["commit", "-qam", "Two lines"], in: repo)
        return repo
    }

    func head(_ repo: String) throws -> String {
        try Shell.git(["rev-parse", "HEAD", "mailbox"], in: repo).standardOutput
    }

    @Test func aFailingLinePausesItselfAndAPersonResumesIt() throws {
        let repo = try mailbox()
        for number in ["3125550193", "3125550147", "3125550198"] { try ParleyBinary.grantConsent(number, in: repo) }
        #expect(try ParleyBinary.run(["send", "3125550147", "--body", welcome], in: repo, environment: now).status == 0)
        let filtered = try ParleyBinary.run(["send", "3125550193", "--body", welcome], in: repo, environment: now)
        #expect(filtered.status == 0, "\(filtered.standardError)")
        #expect(filtered.standardOutput.contains("line      front-desk (+13125550100)"))
        #expect(filtered.standardError.contains("parley: warning: line front-desk paused itself: 1 of its last 2 sends failed (1 filtered by carriers); "
            + "errors 30007; the threshold is 50%"))
        let inbox = try ParleyBinary.run(["inbox"], in: repo, environment: now)
        #expect(inbox.standardOutput.hasPrefix("LINE PAUSED: front-desk (+13125550100) since "))
        #expect(inbox.standardOutput.contains("via front-desk"))
        let list = try ParleyBinary.run(["line", "list", "--json"], in: repo, environment: now)
        #expect(list.standardOutput.contains("\"paused\" : true"))
        let dry = try ParleyBinary.run(["send", "3125550147", "--body", "See you soon. - Bright Smile Dental", "--dry-run"], in: repo, environment: now)
        #expect(dry.status == 3)
        #expect(dry.standardOutput.contains("REFUSE   line          line front-desk (+13125550100) is paused"))
        // Another line still sends; the paused one resumes with a reason.
        let events = try ParleyBinary.run(["send", "3125550147", "--body", "See you soon. - Bright Smile Dental", "--line", "events"], in: repo,
                                          environment: now)
        #expect(events.status == 0, "\(events.standardError)")
        #expect(try Shell.git(["log", "-1", "--format=%B", "mailbox"], in: repo).standardOutput.contains("Parley-Line: events +13125550188"))
        #expect(try ParleyBinary.run(["line", "resume", "front-desk"], in: repo).status == 64)
        let resumed = try ParleyBinary.run(["line", "resume", "front-desk", "--reason", "Took the link out of the template"], in: repo, environment: now)
        #expect(resumed.standardOutput.hasPrefix("Resumed line front-desk"))
        // 30005: never again to this number until a person clears it.
        #expect(try ParleyBinary.run(["send", "3125550198", "--body", welcome], in: repo, environment: now).status == 0)
        let again = try ParleyBinary.run(["send", "3125550198", "--body", "Hello? - Bright Smile Dental"], in: repo, environment: now)
        #expect(again.status == 3)
        #expect(again.standardError.contains("refused by reachable: +13125550198 cannot receive texts: sandbox error 30005"))
        #expect(try ParleyBinary.run(["contact", "reachable", "3125550198", "--reason", "Ported to a new carrier"], in: repo, environment: now).status == 0)
        #expect(try ParleyBinary.run(["send", "3125550198", "--body", "Hello? - Bright Smile Dental", "--dry-run"], in: repo, environment: now)
            .standardOutput.contains("pass     reachable"))
        let report = try ParleyBinary.run(["report"], in: repo, environment: now)
        #expect(report.status == 0, "\(report.standardError)")
        let section = report.standardOutput.components(separatedBy: "Deliverability").last ?? ""
        #expect(section.contains("\n  line front-desk             3 sent, 1 delivered, 2 failed (67%), 1 filtered, 1 never again\n"
            + "    (no template)             3 sent, 1 delivered, 2 failed (67%), 1 filtered, 1 never again\n"))
        #expect(section.contains("\n  line events                 1 sent, 1 delivered, 0 failed (0%)\n"))
        #expect(section.contains("errors: 30005 unknown_number ×1, 30007 filtered ×1"))
        let json = try ParleyBinary.run(["report", "--json"], in: repo, environment: now)
        #expect(json.standardOutput.contains("\"deliverability\""))
        let thread = try ParleyBinary.run(["thread", "3125550198"], in: repo, environment: now)
        #expect(thread.standardOutput.contains("no more texts to this number: sandbox error 30005"))
        #expect(thread.standardOutput.contains("line front-desk"))
    }

    @Test func unknownLinesAndBadLineSettingsAreRefusedWithNothingWritten() throws {
        let repo = try mailbox()
        try ParleyBinary.grantConsent("3125550147", in: repo)
        let before = try head(repo)
        let unknown = try ParleyBinary.run(["send", "3125550147", "--body", welcome, "--line", "sales"], in: repo, environment: now)
        #expect(unknown.status == 64)
        #expect(unknown.standardError.contains("'sales' is not one of this mailbox's lines: use front-desk (+13125550100), events (+13125550188)"))
        #expect(try head(repo) == before)
        let bad = try mailbox("bad", lines: Self.lines.replacingOccurrences(of: "\"+13125550188\"", with: "\"3125550188\""))
        let refused = try ParleyBinary.run(["inbox"], in: bad)
        #expect(refused.status == 65)
        #expect(refused.standardError.contains("parley.yaml:"))
        #expect(refused.standardError.contains("line events: '3125550188' is not an E.164 number"))
        let twice = try mailbox("twice", lines: Self.lines.replacingOccurrences(of: "\"+13125550188\"", with: "\"+13125550100\""))
        #expect(try ParleyBinary.run(["inbox"], in: twice).standardError.contains("line events: +13125550100 is already line front-desk's number"))
        let provider = try mailbox("provider", lines: Self.lines + "  carrier_errors:\n    nexmo:\n      \"6\": filtered\n")
        #expect(try ParleyBinary.run(["inbox"], in: provider).standardError.contains("carrier_errors: unknown provider 'nexmo'"))
    }

    @Test func optOutsMoveBetweenSystemsAsCSVWithTheirEvidence() throws {
        let repo = try mailbox()
        try ParleyBinary.grantConsent("3125550147", in: repo)
        #expect(try ParleyBinary.run(["receive", "--from", "3125550147", "--to", "+13125550188", "--body", "STOP"], in: repo, environment: now).status == 0)
        // The opt-out came in on the events line; the front desk may not text either.
        #expect(try ParleyBinary.run(["send", "3125550147", "--body", welcome, "--line", "front-desk"], in: repo, environment: now).status == 3)
        let export = try ParleyBinary.run(["consent", "export"], in: repo, environment: now)
        #expect(export.status == 0)
        let rows = export.standardOutput.components(separatedBy: "\r\n")
        #expect(rows[0] == "phone,name,event,time,method,source,line,message_id,disclosure,purpose,ip,url,evidence_file_sha256,actor,note")
        #expect(rows[1].hasPrefix("+13125550147,,opted_out,2026-03-09T15:00:00.000Z,keyword,inbound message "))
        #expect(rows[1].contains(",+13125550188,"))
        #expect(rows.count == 3)
        let file = directory.file("optouts.csv")
        try export.standardOutput.write(toFile: file, atomically: true, encoding: .utf8)

        let other = try mailbox("other")
        try ParleyBinary.grantConsent("3125550147", in: other)
        let broken = directory.file("broken.csv")
        try (export.standardOutput + "not-a-number,,opted_out,2026-03-09T15:00:00Z\r\n").write(toFile: broken, atomically: true, encoding: .utf8)
        let before = try head(other)
        let refused = try ParleyBinary.run(["consent", "import", broken, "--opt-outs"], in: other, environment: now)
        #expect(refused.status == 65)
        #expect(refused.standardError.contains("\(broken):3: "))
        #expect(refused.standardError.contains("nothing was imported"))
        #expect(try head(other) == before)
        let imported = try ParleyBinary.run(["consent", "import", file, "--opt-outs"], in: other, environment: now)
        #expect(imported.status == 0, "\(imported.standardError)")
        #expect(imported.standardOutput.hasPrefix("Imported 1 of 1 rows"))
        #expect(try ParleyBinary.run(["send", "3125550147", "--body", welcome], in: other, environment: now).standardError
            .contains("refused by consent: +13125550147 opted out"))
        let again = try ParleyBinary.run(["consent", "import", file, "--opt-outs"], in: other, environment: now)
        #expect(again.standardOutput.hasPrefix("Imported 0 of 1 rows; 1 already recorded"))
    }

    @Test func aCampaignDraftRendersTheSamplesAndNamesWhatCarriersReject() throws {
        let repo = try mailbox()
        let file = directory.file("campaign.md")
        let draft = try ParleyBinary.run(["campaign", "draft", "--campaign", "CAPPT01", "--output", file], in: repo, environment: now)
        #expect(draft.status == 3)
        #expect(draft.standardOutput.contains("fix the campaign has no description in parley.yaml"))
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.hasPrefix("# 10DLC campaign draft: CAPPT01 — Bright Smile Dental\n"))
        #expect(text.contains("- Lines under this campaign: front-desk (+13125550100)\n"))
        #expect(text.contains("a reminder of your appointment on [date] at [time]"))
        #expect(!text.contains("_template event-logistics"), "events is not a use case of this campaign's lines")
        #expect(text.contains("- STOP: Bright Smile Dental: you are unsubscribed and will receive no more messages. Reply START to resubscribe.\n"))
        #expect(try ParleyBinary.run(["campaign", "draft", "--campaign", "NOPE"], in: repo).standardError
            .contains("'NOPE' is not a campaign in parley.yaml (campaigns: CAPPT01)"))

        // A description, and a template linking through a public shortener.
        let config = try String(contentsOfFile: repo + "/parley.yaml", encoding: .utf8)
        try config.replacingOccurrences(of: "  - id: CAPPT01\n", with: "  - id: CAPPT01\n    description: Appointment reminders for patients who "
            + "agreed on our booking form.\n").write(toFile: repo + "/parley.yaml", atomically: true, encoding: .utf8)
        try "---\ndescription: Directions\nuse_case: appointments\n---\nHi, directions to {{business_name}}: bit.ly/bsd-map\n"
            .write(toFile: repo + "/templates/directions.md", atomically: true, encoding: .utf8)
        try Shell.git(["add", "-A"], in: repo)
        try Shell.git(["commit", "-qm", "Describe the campaign; directions template"], in: repo)
        let again = try ParleyBinary.run(["campaign", "draft", "--campaign", "CAPPT01", "--output", file, "--json"], in: repo, environment: now)
        #expect(again.status == 3)
        #expect(again.standardOutput.contains("sample 'directions' links through bit.ly, a public shortener"))
        #expect(!again.standardOutput.contains("no description"))
        #expect(try String(contentsOfFile: file, encoding: .utf8).contains("## Campaign description\n\nAppointment reminders for patients"))
    }

    @Test func contentAndFrequencyRulesRefuseThroughTheBinaryWithTheirTrailers() throws {
        let repo = try mailbox()
        let miami = "3055550142"
        try ParleyBinary.grantConsent(miami, in: repo)
        func send(_ body: String, at time: String) throws -> Shell.Result {
            try ParleyBinary.run(["send", miami, "--body", body], in: repo, environment: ["PARLEY_NOW": time])
        }
        #expect(try send(welcome, at: "2026-03-09T10:00:00-05:00").status == 0)
        let wine = try send("Wine and cheese at our open house! - Bright Smile Dental", at: "2026-03-09T10:30:00-05:00")
        #expect(wine.status == 3)
        #expect(wine.standardError.contains("refused by content: mentions alcohol ('wine'), restricted content campaign CAPPT01 does not declare"))
        let signed = try send("Your cleaning is booked. - Acme Dental", at: "2026-03-09T10:30:00-05:00")
        #expect(signed.standardError.contains("refused by content: signs as 'Acme Dental', not Bright Smile Dental"))
        for hour in ["11", "12"] {
            #expect(try send("Reminder at \(hour). - Bright Smile Dental", at: "2026-03-09T\(hour):00:00-05:00").status == 0)
        }
        let fourth = try send("One more thing. - Bright Smile Dental", at: "2026-03-09T13:00:00-05:00")
        #expect(fourth.status == 3)
        #expect(fourth.standardError.contains("refused by frequency: 3 texts to +13055550142 on no use case in the last 24 h; FL allows 3"))
        let dry = try ParleyBinary.run(["send", miami, "--body", "One more thing. - Bright Smile Dental", "--dry-run"], in: repo,
                                       environment: ["PARLEY_NOW": "2026-03-10T11:30:00-05:00"])
        #expect(dry.standardOutput.contains("pass     frequency     text 2 of at most 3 in 24 h to +13055550142 on no use case (FL: "))
        let trailers = try Shell.git(["log", "-1", "--format=%B", "mailbox"], in: repo).standardOutput
        #expect(trailers.contains("Parley-Frequency: FL 3 of 3 in 24h on no use case"))
        #expect(trailers.contains("Parley-Content: clean"))
    }
}
