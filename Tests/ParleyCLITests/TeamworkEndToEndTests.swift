import Foundation
import ParleyCore
import ParleyTestSupport
import Testing

/// Review before send, notes and snoozes through the binary, as a team uses them.
@Suite struct TeamworkEndToEndTests {
    let directory = TemporaryDirectory("teamwork")
    static let first = "Hi Sarah, this is Bright Smile Dental: Saturday at 10 works. Reply STOP to opt out."

    func run(_ arguments: [String], in repo: String, as agent: String = "dana") throws -> Shell.Result {
        try ParleyBinary.run(arguments, in: repo, environment: ["PARLEY_AGENT": agent, "GIT_AUTHOR_NAME": agent, "GIT_AUTHOR_EMAIL": "\(agent)@example.com"])
    }

    @Test func aHeldFirstContactWaitsForAnotherAgentAndTheAuditChecksIt() throws {
        let repo = try ParleyBinary.initMailbox(in: directory)
        let config = repo + "/parley.yaml"
        let text = try String(contentsOfFile: config, encoding: .utf8) + "\nreview:\n  always:\n    - first_contact\n"
        try text.write(toFile: config, atomically: true, encoding: .utf8)
        try Shell.git(["commit", "-qam", "Review first contacts"], in: repo).requireSuccess()
        try ParleyBinary.grantConsent("+13125550147", in: repo)

        let held = try run(["send", "+13125550147", "--body", Self.first], in: repo)
        #expect(held.status == 6 && held.standardError.contains("held for approval (first contact)"))
        let list = try run(["approvals", "--json"], in: repo)
        let waiting = try JSONSerialization.jsonObject(with: Data(list.standardOutput.utf8)) as? [[String: Any]]
        let id = try #require((waiting?.first?["entry"] as? [String: Any])?["id"] as? String)

        let own = try run(["approve", id], in: repo)
        #expect(own.status == 64 && own.standardError.contains("nobody approves their own text"))
        #expect(try run(["approve", "01NOTANID0000000000000000"], in: repo, as: "sam").status == 1)
        let approved = try run(["approve", id, "--json"], in: repo, as: "sam")
        try approved.requireSuccess()
        #expect(try run(["approve", id], in: repo, as: "sam").status == 1)
        let thread = try run(["thread", "+13125550147", "--json"], in: repo)
        #expect(thread.standardOutput.contains("\"approvedBy\" : \"sam\""))
        let audit = try run(["audit", "--json"], in: repo)
        #expect(!audit.standardOutput.contains("\"approval\""))
        let log = try Shell.git(["log", "-1", "--format=%B", "mailbox"], in: repo).standardOutput
        #expect(log.contains("Parley-Approved-By: sam"))
    }

    @Test func notesAndSnoozesThroughTheBinary() throws {
        let repo = try ParleyBinary.initMailbox(in: directory)
        try run(["receive", "--from", "+13125550147", "--body", "Can I come Saturday?", "--no-reply"], in: repo).requireSuccess()
        #expect(try run(["note", "+13125550147", "  "], in: repo).status == 64)
        let note = try run(["note", "+13125550147", "@sam can you check Saturday?", "--json"], in: repo)
        try note.requireSuccess()
        #expect(note.standardOutput.contains("\"sam\""))
        #expect(try run(["inbox", "--mine", "--json"], in: repo, as: "sam").standardOutput.contains("+13125550147"))
        #expect(try run(["search", "check"], in: repo).standardOutput.contains("note by dana"))

        #expect(try run(["snooze", "+13125550147", "--until", "2026-03-09T08:00:00-05:00"], in: repo).status == 64)
        try run(["snooze", "+13125550147", "--until-reply"], in: repo).requireSuccess()
        #expect(try run(["inbox", "--json"], in: repo).standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) == "[\n\n]")
        try run(["receive", "--from", "+13125550148", "--body", "Is Monday free?", "--no-reply"], in: repo).requireSuccess()
        // Piped, the inbox streams: the customer waiting first, then the snoozed one, which waits on the customer.
        let snoozed = try run(["inbox", "--snoozed"], in: repo).standardOutput
        #expect(snoozed.hasPrefix("CUSTOMER WAITING FOR US (1)\n") && snoozed.contains("\n\nWE WAIT FOR THE CUSTOMER (1)\n"), "\(snoozed)")
        #expect(snoozed.contains("[snoozed until they write]"))
        #expect(try run(["inbox", "--snoozed", "--limit", "1"], in: repo).standardOutput.contains("Showing 1 of 2"))
        try run(["wake", "+13125550147"], in: repo).requireSuccess()
        #expect(try run(["inbox", "--json"], in: repo).standardOutput.contains("+13125550147"))
    }
}
