import Foundation
import ParleyTestSupport
import Testing

/// audit, check, erase and retention as a person runs them: exit status,
/// JSON, HTML, and what each says to do next.
@Suite struct PrivacyEndToEndTests {
    let directory = TemporaryDirectory("privacy-e2e")

    @Test func auditCheckEraseAndRetentionWorkThroughTheBinary() throws {
        let repo = try ParleyBinary.initMailbox(in: directory)
        let morning = ["PARLEY_NOW": "2026-03-06T10:00:00-06:00"]
        try ParleyBinary.run(["consent", "grant", "(312) 555-0147", "--disclosure", "I agree to texts from Bright Smile Dental.", "--purpose",
                              "appointments", "--method", "paper"], in: repo, environment: ["PARLEY_NOW": "2026-03-06T09:00:00-06:00"]).requireSuccess()
        try ParleyBinary.run(["send", "(312) 555-0147", "--body", "Hi! Reply STOP to opt out. - Bright Smile Dental"], in: repo,
                             environment: morning).requireSuccess()
        let clean = try ParleyBinary.run(["audit"], in: repo)
        #expect(clean.status == 0 && clean.standardOutput.contains("No findings."))
        #expect(try ParleyBinary.run(["check"], in: repo).status == 0)

        // A record committed by hand, outside Parley: the audit exits 1 and names the commit.
        _ = try Shell.git(["worktree", "add", "-q", directory.file("records"), "mailbox"], in: repo)
        let folder = directory.file("records") + "/conversations/47/+13125550147/messages/"
        let original = try FileManager.default.contentsOfDirectory(atPath: folder)[0]
        let text = try String(contentsOfFile: folder + original, encoding: .utf8)
        try text.replacingOccurrences(of: "01K", with: "01J").replacingOccurrences(of: "T16:00:00", with: "T03:00:00")
            .write(toFile: folder + "20260306T030000000Z-" + original.dropFirst(20).replacingOccurrences(of: "01K", with: "01J"),
                   atomically: true, encoding: .utf8)
        _ = try Shell.git(["add", "-A"], in: directory.file("records"))
        _ = try Shell.git(["commit", "-qm", "Add a message by hand"], in: directory.file("records"))
        let found = try ParleyBinary.run(["audit", "--json", "--html", directory.file("audit.html")], in: repo)
        #expect(found.status == 1)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(found.standardOutput.utf8)) as? [String: Any])
        let rules = Set((json["findings"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String })
        #expect(rules == ["consent", "quiet_hours", "unattributed_commit"])  // 21:00 the evening before the grant
        #expect(try String(contentsOfFile: directory.file("audit.html"), encoding: .utf8).contains("unattributed_commit"))

        // Erasure: a dry run without --yes, then the real thing; a later send is refused (exit 3) with the reason.
        let dry = try ParleyBinary.run(["erase", "(312) 555-0147", "--reason", "asked to be forgotten"], in: repo)
        #expect(dry.status == 1 && dry.standardOutput.hasPrefix("Would erase +13125550147 from every commit:")
            && dry.standardError.contains("Add --yes"))
        let erased = try ParleyBinary.run(["erase", "(312) 555-0147", "--reason", "asked to be forgotten", "--yes"], in: repo)
        #expect(erased.status == 0 && erased.standardOutput.hasPrefix("Erased +13125550147: ") && erased.standardError.contains("parley sync"))
        let again = try ParleyBinary.run(["send", "(312) 555-0147", "--body", "Hi again. Reply STOP to opt out. - Bright Smile Dental"], in: repo,
                                         environment: morning)
        #expect(again.status == 3 && again.standardError.contains("was erased from this mailbox"))
        #expect(try !Shell.git(["log", "-p", "--all"], in: repo).standardOutput.contains("3125550147"))
        #expect(try ParleyBinary.run(["check"], in: repo).status == 0)

        let retention = try ParleyBinary.run(["retention", "--json"], in: repo)
        #expect(retention.status == 0 && retention.standardOutput.contains("\"expiredMessages\" : 0"))
        #expect(try ParleyBinary.run(["erase", "--help"], in: repo).standardOutput.contains("Examples:"))
    }
}
