import Foundation
import ParleyCore
import ParleyTestSupport
import Testing

/// Each refusal kind as a new user sees it, through the built binary.
@Suite struct ComplianceEndToEndTests {
    let directory = TemporaryDirectory("compliance-e2e")
    let welcome = "Hi Sarah, this is Bright Smile Dental. Reply STOP to opt out. - Bright Smile Dental"

    func refusal(_ arguments: [String], in repo: String, at time: String = "2026-03-09T10:00:00-05:00") throws -> String {
        let head = try Shell.git(["rev-parse", "HEAD"], in: repo).standardOutput
        let result = try ParleyBinary.run(arguments, in: repo, environment: ["PARLEY_NOW": time])
        #expect(result.status == 3, "\(result.standardOutput)\(result.standardError)")
        #expect(try Shell.git(["rev-parse", "HEAD"], in: repo).standardOutput == head)
        #expect(try Shell.git(["status", "--porcelain"], in: repo).standardOutput == "")
        return result.standardError
    }

    @Test func everyRefusalKindSaysWhichRuleTheFactsAndTheWayOut() throws {
        let repo = try ParleyBinary.initMailbox(in: directory)
        #expect(try refusal(["send", "3125550147", "--body", welcome], in: repo) == """
            parley: refused by consent: no consent on record for +13125550147
              way out: record the customer's consent first: parley consent grant +13125550147 --disclosure TEXT --purpose TEXT --method web_form|paper|verbal
              nothing was sent or recorded

            """)
        try ParleyBinary.grantConsent("3125550147", in: repo)
        #expect(try refusal(["send", "3125550147", "--body", welcome], in: repo, at: "2026-03-09T21:14:00-05:00") == """
            parley: refused by quiet_hours: 21:14 in America/Chicago for +13125550147; allowed 08:00–21:00 (IL, federal rule)
              way out: the next allowed time is 2026-03-10T08:00:00-05:00 in America/Chicago; queue it with --next-allowed, or --override quiet_hours --reason TEXT
              nothing was sent or recorded

            """)
        #expect(try refusal(["send", "3125550147", "--body", "Your crown is ready!"], in: repo).hasPrefix(
            "parley: refused by first_contact: the first message to +13125550147 must include the business name (Bright Smile Dental) and how to opt out"))
        #expect(try refusal(["send", "3125550147", "--body", "Bright Smile Dental: ACT NOW, click here tinyurl.com/x. Reply STOP to opt out."], in: repo).hasPrefix(
            "parley: refused by tone: 1:22: banned-phrase: 'act now' is on the tone guide's banned list; 1:31: banned-phrase: 'click here' is on the tone guide's banned list\n"))
        #expect(try refusal(["send", "3125550147", "--body", "Bright Smile Dental: see tinyurl.com/x. Reply STOP to opt out."], in: repo).hasPrefix(
            "parley: refused by content: links through tinyurl.com, a public shortener carriers filter\n"
            + "  way out: link to your own domain (declare a branded short domain in parley.yaml, content.branded_domains)"))
        let long = welcome + String(repeating: " Lorem ipsum dolor sit amet.", count: 20)
        #expect(try refusal(["send", "3125550147", "--body", long], in: repo).contains("refused by segments: 5 segments (GSM-7, 643 units); the limit is 3"))

        // The customer replies "please stop texting me": held for review.
        let review = try ParleyBinary.run(["receive", "--from", "3125550147", "--body", "please stop texting me"], in: repo)
        #expect(review.standardOutput.contains("sends are held until 'parley review resolve +13125550147 --opt-out|--keep'"))
        #expect(try refusal(["send", "3125550147", "--body", welcome], in: repo).hasPrefix("parley: refused by review: a reply from +13125550147 may be a request to stop"))
        #expect(try ParleyBinary.run(["review", "resolve", "3125550147", "--opt-out"], in: repo).status == 0)
        #expect(try refusal(["send", "3125550147", "--body", welcome], in: repo).hasPrefix("parley: refused by consent: +13125550147 opted out"))
    }

    @Test func stopIsAnsweredOnceAndHelpEachTime() throws {
        let repo = try ParleyBinary.initMailbox(in: directory)
        try ParleyBinary.grantConsent("3125550147", in: repo)
        let stop = try ParleyBinary.run(["receive", "--from", "3125550147", "--body", "Stop", "--id", "SM1"], in: repo)
        #expect(stop.standardOutput.contains("opted out: nothing more will be sent until they text START"))
        #expect(stop.standardOutput.contains("answered automatically: Bright Smile Dental: you are unsubscribed"))
        let again = try ParleyBinary.run(["receive", "--from", "3125550147", "--body", "STOP", "--id", "SM2"], in: repo)
        #expect(!again.standardOutput.contains("answered automatically"))
        let help = try ParleyBinary.run(["receive", "--from", "3125550147", "--body", "HELP", "--id", "SM3"], in: repo)
        #expect(help.standardOutput.contains("answered automatically: Bright Smile Dental: appointment and service texts. For help call +1 312-555-0100."))
        let log = try Shell.git(["log", "--format=%s", "mailbox"], in: repo).standardOutput
        #expect(log.components(separatedBy: "automatically").count - 1 == 2)
        let show = try ParleyBinary.run(["consent", "show", "3125550147", "--json"], in: repo)
        #expect(show.standardOutput.contains("\"status\" : \"opted_out\""))
    }

    @Test func dryRunShowsEveryVerdictAndPinnedTimeAnswersWouldItGoOut() throws {
        let repo = try ParleyBinary.initMailbox(in: directory)
        try ParleyBinary.grantConsent("3125550147", in: repo)
        let result = try ParleyBinary.run(["send", "3125550147", "--body", welcome, "--dry-run"], in: repo, environment: ["PARLEY_NOW": "2026-03-08T20:30:00-05:00"])
        #expect(result.status == 0)
        let lines = result.standardOutput.split(separator: "\n")
        #expect(lines.map { String($0.prefix(22)) } == [
            "pass     number       ", "pass     consent      ", "pass     opt_out      ", "pass     reachable    ", "pass     review       ",
            "pass     line         ", "pass     quiet_hours  ", "pass     frequency    ", "pass     first_contact", "pass     tone         ",
            "pass     content      ", "pass     segments     ", "Would send (dry run: n",
        ])
        let late = try ParleyBinary.run(["send", "3125550147", "--body", welcome, "--dry-run"], in: repo, environment: ["PARLEY_NOW": "2026-03-08T21:30:00-05:00"])
        #expect(late.status == 3)
        #expect(late.standardOutput.contains("REFUSE   quiet_hours   21:30 in America/Chicago"))
        #expect(try Shell.git(["rev-list", "--count", "HEAD", "mailbox"], in: repo).standardOutput == "3\n")
    }

    @Test func templateDraftAndSendRecordTheTemplateVersion() throws {
        let repo = try ParleyBinary.initMailbox(in: directory)
        try ParleyBinary.grantConsent("3125550147", in: repo)
        _ = try ParleyBinary.run(["contact", "add", "3125550147", "--name", "Sarah Lee"], in: repo)
        let missing = try ParleyBinary.run(["draft", "3125550147", "--template", "appointment-reminder"], in: repo)
        #expect(missing.status == 64)
        #expect(missing.standardError.contains("template 'appointment-reminder' needs date"))
        let draft = try ParleyBinary.run(["draft", "3125550147", "--template", "welcome"], in: repo)
        #expect(draft.status == 0, "\(draft.standardError)")
        #expect(draft.standardOutput.contains("Hi Sarah, this is Bright Smile Dental."))
        #expect(draft.standardOutput.contains("GSM-7, 1 segment"))
        #expect(draft.standardOutput.contains("passes every rule now"))
        // Hand-edit the draft in the work tree, as an editor would.
        let path = "clinic/drafts/dana/+13125550147.md"
        let text = try #require(directory.read(path)).replacingOccurrences(of: "Hi Sarah", with: "Hello Sarah")
        try directory.write(path, text)
        let sent = try ParleyBinary.run(["send", "3125550147", "--draft"], in: repo)
        #expect(sent.status == 0, "\(sent.standardError)")
        #expect(!FileManager.default.fileExists(atPath: directory.file(path)))
        let blob = try Shell.git(["rev-parse", "HEAD:templates/welcome.md"], in: repo).standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        let message = try Shell.git(["show", "mailbox", "--format=%B"], in: repo).standardOutput
        #expect(message.contains("\(Trailer.template.rawValue): welcome \(blob)"))
        let files = try Shell.git(["show", "HEAD", "--name-status", "--no-renames", "--format="], in: repo).standardOutput
        #expect(files.contains("D\tdrafts/dana/+13125550147.md"))
        let thread = try ParleyBinary.run(["thread", "3125550147", "--json"], in: repo).standardOutput
        #expect(thread.contains("\"templateBlob\" : \"\(blob)\""))
        #expect(thread.contains("Hello Sarah"))
        #expect(try Shell.git(["status", "--porcelain"], in: repo).standardOutput == "")
    }

    @Test func lintReportsLineColumnRuleAndExitsOnErrors() throws {
        let repo = try ParleyBinary.initMailbox(in: directory)
        let bad = try ParleyBinary.run(["lint", "Hi!\nCLICK HERE NOW: bit.ly/x"], in: repo)
        #expect(bad.status == 3)
        #expect(bad.standardOutput.hasPrefix("2:1: all-caps: 3 ALL-CAPS words (the tone guide allows 2); it reads as shouting\n2:1: banned-phrase: 'click here' is on the tone guide's banned list\n2:17: link-shortener"))
        let smart = try ParleyBinary.run(["lint", "It’s ready — see you. - Bright Smile Dental", "--json"], in: repo)
        #expect(smart.status == 0)
        #expect(smart.standardOutput.contains("\"encoding\" : \"UCS-2\""))
        #expect(smart.standardOutput.contains("--smart-ascii replaces '’' '—'"))
        let fixed = try ParleyBinary.run(["lint", "It’s ready — see you. - Bright Smile Dental", "--smart-ascii"], in: repo)
        #expect(fixed.standardOutput.hasPrefix("It's ready - see you. - Bright Smile Dental\nGSM-7, 1 segment; no findings"))
    }

    @Test func consentImportReportsRowsByLineAndIsIdempotent() throws {
        let repo = try ParleyBinary.initMailbox(in: directory)
        try directory.write("signups.csv", "phone,name\n3125550147,Sarah\nnot-a-number,X\n3125550123,Tom\n3125550123,Tom\n")
        let arguments = ["consent", "import", directory.file("signups.csv"), "--disclosure", "I agree to texts from Bright Smile Dental.", "--purpose", "reminders"]
        let first = try ParleyBinary.run(arguments, in: repo)
        #expect(first.status == 65)
        #expect(first.standardError.contains("signups.csv:3: 'not-a-number' is not a phone number"))
        #expect(first.standardError.contains("signups.csv:5: duplicate of an earlier row; skipped"))
        #expect(first.standardOutput.hasPrefix("Imported 2 of 4 rows; 0 already recorded, 1 duplicates, 1 with problems (commit "))
        let again = try ParleyBinary.run(arguments, in: repo)
        #expect(again.standardOutput.hasPrefix("Imported 0 of 4 rows; 2 already recorded"))
        #expect(try Shell.git(["rev-list", "--count", "HEAD", "mailbox"], in: repo).standardOutput == "3\n")
    }

    @Test func scheduleWithNextAllowedAndFlushInTheMorning() throws {
        let repo = try ParleyBinary.initMailbox(in: directory)
        try ParleyBinary.grantConsent("3125550147", in: repo)
        let queued = try ParleyBinary.run(["send", "3125550147", "--body", welcome, "--next-allowed"], in: repo, environment: ["PARLEY_NOW": "2026-03-09T22:00:00-05:00"])
        #expect(queued.standardOutput.hasPrefix("Queued "))
        #expect(queued.standardOutput.contains("for 2026-03-10T08:00:00-05:00"))
        #expect(try ParleyBinary.run(["outbox", "flush"], in: repo, environment: ["PARLEY_NOW": "2026-03-10T07:00:00-05:00"]).standardOutput == "Nothing is due.\n")
        let flushed = try ParleyBinary.run(["outbox", "flush"], in: repo, environment: ["PARLEY_NOW": "2026-03-10T08:00:00-05:00"])
        #expect(flushed.standardOutput.contains(": delivered"))
        #expect(try ParleyBinary.run(["outbox"], in: repo).standardOutput == "The outbox is empty.\n")
    }
}
