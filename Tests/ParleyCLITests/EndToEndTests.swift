import Foundation
import ParleyCore
import ParleyTestSupport
import Testing

@Suite struct EndToEndTests {
    let directory = TemporaryDirectory("e2e")

    @Test func firstLoopSendReceiveThreadInboxLog() throws {
        let repo = try ParleyBinary.initMailbox(in: directory)
        #expect(try ParleyBinary.run(["contact", "add", "(312) 555-0147", "--name", "Sarah Lee", "--timezone", "America/Chicago", "--state", "IL"], in: repo).status == 0)

        try ParleyBinary.grantConsent("(312) 555-0147", in: repo)
        let sent = try ParleyBinary.run(["send", "(312) 555-0147", "--body", "Hi Sarah, your crown is ready. Reply STOP to opt out. - Bright Smile Dental"], in: repo)
        #expect(sent.status == 0)
        #expect(sent.standardOutput.contains("to +1 312-555-0147"))
        #expect(sent.standardOutput.contains("status    delivered (sandbox SBX"))
        #expect(sent.standardOutput.contains("segments  1 (GSM-7, 75 characters)"))
        #expect(sent.standardOutput.contains("commit    "))

        let received = try ParleyBinary.run(["receive", "--from", "3125550147", "--id", "SM42"], in: repo, environment: ["PARLEY_NOW": "2026-03-09T09:05:00-05:00"], input: "Can I come Thursday instead?\n")
        #expect(received.status == 0)
        #expect(received.standardOutput == "Received SM42 from +1 312-555-0147 (commit \(received.standardOutput.suffix(10).prefix(8)))\n")

        let thread = try ParleyBinary.run(["thread", "+13125550147"], in: repo, environment: ["TZ": "America/New_York"])
        #expect(thread.standardOutput == """
            Sarah Lee  +1 312-555-0147
            their zone America/Chicago · your zone America/New_York · unassigned · open · 2 messages

            ─── Monday 9 March 2026 ───
            10:00 (09:00 theirs)  → dana · delivered
                Hi Sarah, your crown is ready. Reply STOP to opt out. - Bright Smile Dental
            10:05 (09:05 theirs)  ← Sarah Lee
                Can I come Thursday instead?

            """)

        let inbox = try ParleyBinary.run(["inbox"], in: repo, environment: ["PARLEY_NOW": "2026-03-09T10:35:00-05:00"])
        #expect(inbox.standardOutput.contains("CUSTOMER WAITING FOR US (1)\n  1h 30m   Sarah Lee"))
        #expect(inbox.standardOutput.contains("← Can I come Thursday instead?"))

        #expect(try ParleyBinary.run(["assign", "3125550147", "--me"], in: repo).standardOutput.hasPrefix("Assigned to dana"))
        #expect(try ParleyBinary.run(["inbox", "--mine", "--json"], in: repo).standardOutput.contains("\"assignee\" : \"dana\""))

        let log = try ParleyBinary.run(["log", "+13125550147"], in: repo)
        let lines = log.standardOutput.split(separator: "\n")
        #expect(lines.count == 5)
        #expect(lines[0].contains("Assign Sarah Lee (+13125550147) to dana"))
        #expect(lines[2].contains("Send message to Sarah Lee (+13125550147)"))
        #expect(!log.standardOutput.contains("\u{1B}["))

        #expect(try Shell.git(["status", "--porcelain"], in: repo).standardOutput == "")
        #expect(try Shell.git(["fsck", "--strict", "--no-dangling"], in: repo).status == 0)
        let grep = try Shell.git(["log", "--grep=\(Trailer.action.rawValue): \(CommitAction.send)", "--format=%an %s", "mailbox"], in: repo)
        #expect(grep.standardOutput == "Dana Ruiz Send message to Sarah Lee (+13125550147)\n")
    }

    @Test func badInputFailsClearlyAndLeavesTheRepositoryUntouched() throws {
        let repo = try ParleyBinary.initMailbox(in: directory)

        let badNumber = try ParleyBinary.run(["send", "555-CALL-NOW", "--body", "hi"], in: repo)
        #expect(badNumber.status == 64)
        #expect(badNumber.standardError.contains("'555-CALL-NOW' is not a phone number"))

        let shortNumber = try ParleyBinary.run(["send", "12345", "--body", "hi"], in: repo)
        #expect(shortNumber.status == 64)
        #expect(shortNumber.standardError == "parley: '12345' is not a valid US number (national numbers there have 10 digits); for another country start with + and the country code\n")

        let unknown = try ParleyBinary.run(["sned", "3125550147"], in: repo)
        #expect(unknown.status == 64)
        #expect(unknown.standardError.contains("Unexpected argument 'sned'") || unknown.standardError.contains("sned"))

        try ParleyBinary.grantConsent("3125550197", in: repo)
        try ParleyBinary.grantConsent("3125550194", in: repo)
        let head = try Shell.git(["rev-parse", "mailbox"], in: repo).standardOutput
        let firstContact = "Hi, this is Bright Smile Dental. Reply STOP to opt out. - Bright Smile Dental"
        let rejected = try ParleyBinary.run(["send", "3125550197", "--body", firstContact], in: repo)
        #expect(rejected.status == 4)
        #expect(rejected.standardError.contains("rejected (21211)"))

        let rateLimited = try ParleyBinary.run(["send", "3125550194", "--body", firstContact], in: repo)
        #expect(rateLimited.status == 4)
        #expect(rateLimited.standardError.contains("nothing was sent and nothing was recorded"))

        // Only the rejected attempt was recorded (as a failed message).
        let commits = try Shell.git(["rev-list", "--count", "\(head.trimmingCharacters(in: .whitespacesAndNewlines))..mailbox"], in: repo)
        #expect(commits.standardOutput == "1\n")
        #expect(try Shell.git(["status", "--porcelain"], in: repo).standardOutput == "")
    }

    @Test func aMalformedMessageFileIsReportedWithItsLine() throws {
        let repo = try ParleyBinary.initMailbox(in: directory)
        _ = try ParleyBinary.run(["receive", "--from", "3125550147", "--body", "hello", "--id", "SM1"], in: repo)
        let path = "conversations/47/+13125550147/messages/20260309T140000000Z-SM1.md"
        // A hand-made commit on the records branch, through a worktree of it as a person would.
        #expect(try Shell.git(["worktree", "add", "-q", directory.file("records"), "mailbox"], in: repo).status == 0)
        var text = try #require(directory.read("records/" + path))
        text = text.replacingOccurrences(of: "status: received", with: "status: lost")
        try directory.write("records/" + path, text)
        _ = try Shell.git(["commit", "-qam", "break it"], in: directory.file("records"))
        let head = try Shell.git(["rev-parse", "HEAD"], in: repo).standardOutput

        let thread = try ParleyBinary.run(["thread", "3125550147"], in: repo)
        #expect(thread.status == 65)
        #expect(thread.standardError.hasPrefix("parley: \(path):9: 'status' must be one of"))
        let inbox = try ParleyBinary.run(["inbox"], in: repo)
        #expect(inbox.status == 65)
        #expect(inbox.standardError.contains("\(path):9:"))
        #expect(try Shell.git(["rev-parse", "HEAD"], in: repo).standardOutput == head)
    }

    @Test func noMailboxMeansExit66WithAWayForward() throws {
        let outside = try ParleyBinary.run(["inbox"], in: directory.path)
        #expect(outside.status == 66)
        #expect(outside.standardError.contains("run 'parley init DIR'"))
        _ = try Shell.git(["init", "-q", "plain"], in: directory.path)
        let plain = try ParleyBinary.run(["inbox"], in: directory.file("plain"))
        #expect(plain.status == 66)
        #expect(plain.standardError.contains("not a Parley mailbox"))
        let viaEnvironment = try ParleyBinary.run(["inbox"], in: directory.path, environment: ["PARLEY_REPO": directory.file("nowhere")])
        #expect(viaEnvironment.status == 66)
    }

    @Test func initRefusesAnExistingMailbox() throws {
        let repo = try ParleyBinary.initMailbox(in: directory)
        let again = try ParleyBinary.run(["init", repo, "--business", "Other", "--number", "+13125550100"], in: directory.path)
        #expect(again.status == 1)
        #expect(again.standardError.contains("already exists"))
        #expect(try Shell.git(["rev-list", "--count", "HEAD"], in: repo).standardOutput == "1\n")
    }

    @Test func aPersonsUncommittedTemplateEditSurvivesASend() throws {
        let repo = try ParleyBinary.initMailbox(in: directory)
        let edited = "---\ndescription: mine\n---\nHalf-written new wording\n"
        try directory.write("clinic/templates/welcome.md", edited)
        try ParleyBinary.grantConsent("3125550147", in: repo)
        #expect(try ParleyBinary.run(["send", "3125550147", "--body", "Hello from Bright Smile Dental. Reply STOP to opt out. - Bright Smile Dental"], in: repo).status == 0)
        #expect(directory.read("clinic/templates/welcome.md") == edited)
        #expect(try Shell.git(["status", "--porcelain"], in: repo).standardOutput == " M templates/welcome.md\n")
        #expect(try Shell.git(["show", "mailbox", "--stat", "--format="], in: repo).standardOutput.contains("templates") == false)
        #expect(try Shell.git(["rev-list", "--count", "HEAD"], in: repo).standardOutput == "1\n")
    }

    @Test func twoReceiveProcessesAtOnceLoseNoMessage() async throws {
        let repo = try ParleyBinary.initMailbox(in: directory)
        let perProcess = 15
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<2 {
                group.addTask {
                    for index in 0..<perProcess {
                        let result = try ParleyBinary.run(
                            ["receive", "--from", "+1312555\(String(format: "%04d", 1000 + index))", "--body", "w\(worker) m\(index)", "--id", "W\(worker)M\(index)"],
                            in: repo, environment: ["PARLEY_NOW": ""])
                        #expect(result.status == 0, "\(result.standardError)")
                    }
                }
            }
            try await group.waitForAll()
        }
        // One commit each on the records branch after its start; none on the checked-out branch.
        let count = try Shell.git(["rev-list", "--count", "mailbox"], in: repo)
        #expect(count.standardOutput == "\(1 + 2 * perProcess)\n")
        #expect(try Shell.git(["rev-list", "--count", "HEAD"], in: repo).standardOutput == "1\n")
        let files = try Shell.git(["ls-tree", "-r", "--name-only", "mailbox", "conversations"], in: repo).standardOutput.split(separator: "\n")
        #expect(files.count == 2 * perProcess)
        #expect(try Shell.git(["status", "--porcelain"], in: repo).standardOutput == "")
        #expect(try Shell.git(["fsck", "--strict", "--no-dangling"], in: repo).status == 0)
    }

    @Test(arguments: [
        "init", "contact", "contact add", "contact show", "contact list", "contact edit", "consent", "consent grant", "consent revoke",
        "consent show", "consent list", "consent import", "template list", "template show", "draft", "lint", "send", "outbox",
        "outbox list", "outbox flush", "outbox cancel", "receive", "review", "review list", "review resolve", "thread", "inbox",
        "assign", "tag", "close", "reopen", "log",
    ])
    func everyCommandHasHelpWithExamples(command: String) throws {
        let result = try ParleyBinary.run(command.split(separator: " ").map(String.init) + ["--help"], in: directory.path)
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("USAGE:"))
        if !["contact", "consent"].contains(command) { #expect(result.standardOutput.contains("Example")) }
    }
}
