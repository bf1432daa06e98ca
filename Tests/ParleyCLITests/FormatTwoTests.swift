import Foundation
import ParleyTestSupport
import Testing

/// Format 2 as a person meets it: records on the never-checked-out branch
/// `mailbox`, migration from format 1, and plain Git clones.
@Suite struct FormatTwoTests {
    let directory = TemporaryDirectory("format2")
    static let sampleRepo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("sample-repo").path

    /// The sample mailbox as format 1 had it: everything on main.
    func formatOneMailbox() throws -> String {
        let repo = directory.file("v1")
        #expect(try Shell.run("cp", ["-R", Self.sampleRepo, repo]).status == 0)
        let config = try String(contentsOfFile: repo + "/parley.yaml", encoding: .utf8)
        try config.replacingOccurrences(of: "format: 2", with: "format: 1").write(toFile: repo + "/parley.yaml", atomically: true, encoding: .utf8)
        _ = try Shell.git(["init", "-q", "-b", "main"], in: repo)
        _ = try Shell.git(["add", "-A"], in: repo)
        _ = try Shell.git(["commit", "-qm", "A format-1 mailbox"], in: repo)
        return repo
    }

    let now = ["PARLEY_NOW": "2026-03-12T09:30:00-05:00"]

    @Test func migrateMovesRecordsKeepsHistoryAndAnswersTheSame() throws {
        let repo = try formatOneMailbox()
        let inboxBefore = try ParleyBinary.run(["inbox"], in: repo, environment: now)
        let threadBefore = try ParleyBinary.run(["thread", "(312) 555-0147"], in: repo, environment: now)
        #expect(inboxBefore.status == 0 && threadBefore.status == 0)

        // A hand edit to a record file stops it before anything changes.
        let record = try Shell.git(["ls-files", "conversations/47"], in: repo).standardOutput.split(separator: "\n").first { $0.contains("/messages/") }!
        let original = try #require(directory.read("v1/" + record))
        try directory.write("v1/" + record, original + "edited\n")
        let refused = try ParleyBinary.run(["migrate"], in: repo)
        #expect(refused.status != 0)
        #expect(refused.standardError.contains(String(record)))
        #expect(try Shell.git(["branch", "--list", "mailbox"], in: repo).standardOutput.isEmpty)
        try directory.write("v1/" + record, original)

        let migrated = try ParleyBinary.run(["migrate"], in: repo)
        #expect(migrated.status == 0, "\(migrated.standardError)")
        #expect(migrated.standardOutput.contains("Migrated to format 2"))
        #expect(try Shell.git(["ls-files", "conversations", "outbox"], in: repo).standardOutput.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: repo + "/conversations"))
        #expect(try Shell.git(["show", "mailbox:" + record], in: repo).standardOutput == original)
        #expect(try Shell.git(["log", "--format=%s", "mailbox"], in: repo).standardOutput.contains("A format-1 mailbox"))
        #expect(try String(contentsOfFile: repo + "/parley.yaml", encoding: .utf8).contains("\nformat: 2\n"))
        #expect(try Shell.git(["status", "--porcelain"], in: repo).standardOutput == "")
        #expect(try Shell.git(["fsck", "--strict", "--no-dangling"], in: repo).status == 0)
        #expect(try ParleyBinary.run(["inbox"], in: repo, environment: now).standardOutput == inboxBefore.standardOutput)
        #expect(try ParleyBinary.run(["thread", "(312) 555-0147"], in: repo, environment: now).standardOutput == threadBefore.standardOutput)

        let again = try ParleyBinary.run(["migrate"], in: repo)
        #expect(again.status == 0)
        #expect(again.standardOutput.contains("Nothing to do"))
    }

    @Test func searchFindsWordsMarksThemAndNarrows() throws {
        let repo = try formatOneMailbox()
        #expect(try ParleyBinary.run(["migrate"], in: repo).status == 0)
        let crown = try ParleyBinary.run(["search", "CROWN"], in: repo)
        #expect(crown.status == 0)
        #expect(crown.standardOutput.contains("Sarah Lee  +1 312-555-0147  → dana\n    …your [crown] is ready"), "\(crown.standardOutput)")
        #expect(crown.standardOutput.contains("James Whitfield"))
        let narrowed = try ParleyBinary.run(["search", "crown", "--from", "(630) 555-0134"], in: repo)
        #expect(!narrowed.standardOutput.contains("Sarah Lee") && narrowed.standardOutput.contains("James Whitfield"))
        let prefix = try ParleyBinary.run(["search", "thurs*", "--since", "2026-03-11"], in: repo).standardOutput
        #expect(prefix.contains("[Thursday] works?") && !prefix.contains("afternoon instead"), "\(prefix)")
        #expect(try ParleyBinary.run(["search", "thurs"], in: repo).standardOutput.hasPrefix("No message"), "whole words unless a * asks for a prefix")
        #expect(try ParleyBinary.run(["search", "crown", "--agent", "nobody"], in: repo).standardOutput.hasPrefix("No message"))
        #expect(try ParleyBinary.run(["search", "maria"], in: repo).standardOutput.hasPrefix("contact  Maria Gonzalez  +1 773-555-0161\n"))
        let json = try ParleyBinary.run(["search", "crown", "--json"], in: repo).standardOutput
        #expect(json.contains("\"excerpt\" : \"…your crown is ready"))
        #expect(try ParleyBinary.run(["search", "zebra"], in: repo).standardOutput == "No message or contact matches 'zebra'.\n")
        // An operator-looking word is only a word.
        #expect(try ParleyBinary.run(["search", "NOT OR \"crown"], in: repo).status == 0)
    }

    @Test func theInboxShowsAPageAndSaysHowManyMore() throws {
        let repo = try formatOneMailbox()
        let everything = try ParleyBinary.run(["inbox"], in: repo, environment: now)
        #expect(!everything.standardOutput.contains("Showing"))
        let page = try ParleyBinary.run(["inbox", "--limit", "2"], in: repo, environment: now)
        #expect(page.standardOutput.split(separator: "\n").filter { $0.hasPrefix("           ←") || $0.hasPrefix("           →") }.count == 2)
        #expect(page.standardOutput.contains("Showing 2 of "))
        #expect(try ParleyBinary.run(["inbox", "--limit", "0"], in: repo, environment: now).standardOutput == everything.standardOutput)
        #expect(try ParleyBinary.run(["inbox", "--limit", "-1"], in: repo).status == 64)
    }

    @Test func aPlainGitCloneWorksAndSyncSharesBothBranches() throws {
        let repo = try formatOneMailbox()
        #expect(try ParleyBinary.run(["migrate"], in: repo).status == 0)
        #expect(try Shell.git(["clone", "-q", "--bare", repo, directory.file("hub.git")], in: directory.path).status == 0)
        #expect(try Shell.git(["clone", "-q", directory.file("hub.git"), directory.file("member")], in: directory.path).status == 0)
        let member = directory.file("member")
        // git clone checks out main only; Parley takes the records branch from origin.
        let inbox = try ParleyBinary.run(["inbox"], in: member, environment: now)
        #expect(inbox.status == 0, "\(inbox.standardError)")
        #expect(inbox.standardOutput.contains("Maria Gonzalez"))
        #expect(try ParleyBinary.run(["receive", "--from", "(312) 555-0147", "--body", "From the member's clone", "--id", "SMmember"], in: member, environment: now).status == 0)
        let synced = try ParleyBinary.run(["sync"], in: member, environment: now)
        #expect(synced.status == 0, "\(synced.standardError)")
        #expect(try Shell.git(["log", "--format=%s", "-1", "mailbox"], in: directory.file("hub.git")).standardOutput.contains("Receive message from Sarah Lee"))
        // A person's git pull on main keeps working.
        #expect(try Shell.git(["pull", "-q", "--ff-only"], in: member).status == 0)
        #expect(try Shell.git(["status", "--porcelain"], in: member).standardOutput == "")
    }

    @Test func aPersonsCommitsOnMainNeverTouchRecords() throws {
        let repo = try ParleyBinary.initMailbox(in: directory)
        for index in 0..<5 {
            #expect(try ParleyBinary.run(["receive", "--from", "3125550147", "--body", "m\(index)", "--id", "SM\(index)"], in: repo).status == 0)
            try directory.write("clinic/tone.md", (directory.read("clinic/tone.md") ?? "") + "\n<!-- edit \(index) -->\n")
            #expect(try Shell.git(["commit", "-qam", "Tone edit \(index)"], in: repo).status == 0)
        }
        #expect(try Shell.git(["ls-tree", "-r", "--name-only", "mailbox"], in: repo).standardOutput.split(separator: "\n").filter { $0.contains("/messages/") }.count == 5)
        #expect(try Shell.git(["log", "--diff-filter=D", "--name-only", "--format=", "mailbox"], in: repo).standardOutput.isEmpty)
        #expect(try ParleyBinary.run(["thread", "3125550147"], in: repo).standardOutput.contains("m4"))
    }
}
