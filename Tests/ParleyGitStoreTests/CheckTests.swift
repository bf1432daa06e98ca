import Foundation
import ParleyCore
import ParleyGitStore
import ParleyTestSupport
import Testing
import ParleyIndex

/// `parley check` on a real clone: a clean mailbox has no problem; files
/// planted by hand (a broken file, a misplaced one, a reused id, a
/// contact in the wrong folder, a secret) and an index that no longer
/// agrees with the tree are each reported as `path:line: problem`.
@Suite struct CheckTests {
    @Test func aCleanMailboxPassesAndEachPlantedProblemIsReported() async throws {
        let team = try await ReportTests.makeHistory()
        let mailbox = try team.mailbox("dana", at: ReportTests.at("2026-03-20T12:00:00-05:00"))
        let clean = try MailboxCheck.run(mailbox, checkIndex: true)
        #expect(clean.problems == [])
        #expect(clean.conversations == 3)

        let clone = team.directory.file("dana"), records = team.directory.file("records")
        _ = try Shell.git(["worktree", "add", "-q", records, "mailbox"], in: clone)
        let sarah = MailboxLayout.conversationDirectory(ReportTests.sarah)
        let messages = try FileManager.default.contentsOfDirectory(atPath: records + "/" + sarah + "/messages").sorted()
        let original = records + "/" + sarah + "/messages/" + messages[0]
        let text = try String(contentsOfFile: original, encoding: .utf8)
        // The same message copied under another name (a reused id, a name its contents disagree with).
        try text.write(toFile: records + "/" + sarah + "/messages/20260101T000000000Z-COPY.md", atomically: true, encoding: .utf8)
        // A message whose front matter is broken on line 5 (time: [).
        try text.replacingOccurrences(of: "time: ", with: "time: [").write(toFile: records + "/" + sarah + "/messages/" + messages[1],
                                                                       atomically: true, encoding: .utf8)
        // Tom's contact file in Sarah's folder; a stray file; a credentials file.
        try "---\nnumber: \"+13125550123\"\nname: Tom\n---\n".write(toFile: records + "/" + sarah + "/contact.md", atomically: true, encoding: .utf8)
        try "notes".write(toFile: records + "/" + sarah + "/notes.txt", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: records + "/outbox", withIntermediateDirectories: true)
        try "TOKEN=abc".write(toFile: records + "/outbox/.env", atomically: true, encoding: .utf8)
        _ = try Shell.git(["add", "-A"], in: records)
        _ = try Shell.git(["commit", "-qm", "Hand edits"], in: records)

        let found = try MailboxCheck.run(mailbox, checkIndex: false).problems
        let copy = sarah + "/messages/20260101T000000000Z-COPY.md"
        #expect(found.contains(original.dropFirst(records.count + 1) + ": id " + messages[0].dropFirst(20).dropLast(3) + " is also used by " + copy))
        #expect(found.contains { $0.hasPrefix(copy + ": its contents say it belongs at " + sarah + "/messages/" + messages[0]) })
        #expect(found.contains { $0.hasPrefix(sarah + "/messages/" + messages[1] + ":5: YAML: ") })
        #expect(found.contains(sarah + "/contact.md: number +13125550123 does not match its folder"))
        #expect(found.contains(sarah + "/notes.txt: unexpected file in a conversation"))
        #expect(found.contains { $0.hasPrefix("outbox/.env: looks like a secret") })
        #expect(found.count == 6 + 1)  // and the unreadable .env as an outbox entry

        // The index disagreeing with the tree: a row deleted behind Parley's back.
        let index = clone + "/.git/parley/index.sqlite"
        _ = try Shell.run("python3", ["-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); "
            + "c.execute(\"DELETE FROM messages WHERE number='+13125550123'\"); c.commit()", index], in: clone)
        let disagreeing = try MailboxCheck.run(mailbox, checkIndex: true).problems
        #expect(disagreeing.contains(".git/parley/index.sqlite: +13125550123: the index holds 0 messages, the tree 2; delete the file and it "
            + "is rebuilt from Git"))
    }
}
