import Foundation
import ParleyCore
import ParleyGitStore
import ParleyTestSupport
import Testing
import ParleyIndex

/// `parley audit` on real Git histories: the two-clone history of the
/// report tests (sends, replies in the reply window, consent, a STOP with
/// its confirmation, a quiet-hours override) gives no finding; then each
/// kind of violation is planted with a hand-made `git` commit on the
/// records branch and must be found, naming that commit, its file and rule.
@Suite struct AuditTests {
    static let at = ReportTests.at
    static let ken = ReportTests.ken, sarah = ReportTests.sarah, tom = ReportTests.tom
    static let newcomer = try! PhoneNumber.parse("+13125550188"), stranger = try! PhoneNumber.parse("+13125550199")
    static let reviewed = try! PhoneNumber.parse("+13125550166")

    /// The report tests' history, plus a STOP answered automatically and a quiet-hours override on a real send.
    static func cleanHistory() async throws -> Team {
        let team = try await ReportTests.makeHistory()
        let gateway = ScriptedGateway(name: "sandbox")
        let evening = try team.mailbox("dana", at: at("2026-03-11T21:30:00-05:00"))
        var late = ReportTests.body("Your crown is ready")
        late.overrides = [.quietHours: "patient asked us to text after 9 pm"]
        _ = try await evening.sending.send(to: sarah, late, via: gateway)
        _ = try await team.mailbox("dana", at: at("2026-03-12T10:00:00-05:00")).inbound.receive(from: tom, body: "STOP", gateway: "sandbox",
                                                                                        replyVia: gateway)
        return team
    }

    static func audit(_ team: Team, until: Date? = nil) throws -> AuditReport {
        try Auditor.audit(team.mailbox("dana", at: at("2026-03-20T12:00:00-05:00")), since: nil, until: until)
    }

    @Test func aCleanHistoryHasNoFindingAndListsTheOverride() async throws {
        let team = try await Self.cleanHistory()
        let report = try Self.audit(team)
        #expect(report.findings == [])
        #expect(report.isClean)
        #expect(report.counts.outbound == 5)
        #expect(report.counts.automaticReplies == 1)
        #expect(report.counts.optOuts == 2)
        #expect(report.overrides.map { "\($0.number) \($0.rule) \($0.agent ?? "") \($0.reason)" }
            == ["+13125550147 quiet_hours dana patient asked us to text after 9 pm"])
        let sendCommit = try Shell.git(["log", "mailbox", "--format=%H", "--grep", "\(Trailer.override.rawValue):"], in: team.directory.file("dana"))
        #expect(report.overrides.first?.commit == sendCommit.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(report.rulesRecorded == [RulesVersion.current: 5])
        // The same history on the other clone gives the same result.
        _ = try team.stores["dana"]!.sync(authentication: team.authentication)
        _ = try team.stores["sam"]!.sync(authentication: team.authentication)
        let other = try Auditor.audit(team.mailbox("sam", at: Self.at("2026-03-20T12:00:00-05:00")), since: nil, until: nil)
        #expect(other.findings == [] && other.counts == report.counts)
    }

    @Test func everyPlantedViolationIsFoundWithItsCommitFileAndRule() async throws {
        let team = try await Self.cleanHistory()
        let clone = team.directory.file("dana")
        _ = try Shell.git(["worktree", "add", "-q", team.directory.file("records"), "mailbox"], in: clone)
        let records = team.directory.file("records")
        var planted: [String: String] = [:]
        func plant(_ files: [String: Data], _ subject: String) throws -> String {
            for (path, data) in files {
                try FileManager.default.createDirectory(atPath: records + "/" + (path as NSString).deletingLastPathComponent,
                                                        withIntermediateDirectories: true)
                try data.write(to: URL(fileURLWithPath: records + "/" + path))
            }
            _ = try Shell.git(["add", "-A"], in: records)
            _ = try Shell.git(["commit", "-qm", subject], in: records)
            return try Shell.git(["rev-parse", "HEAD"], in: records).standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        func outbound(_ number: PhoneNumber, _ time: String, _ body: String, agent: String = "pat") -> (String, Data) {
            let message = Message(id: ULID(time: Self.at(time), randomBytes: Array(repeating: 7, count: 10)).string, direction: .outbound,
                                  time: Self.at(time), from: Fixtures.business, to: number, agent: agent, gateway: "sandbox", gatewayID: nil,
                                  status: .sent, segments: 1, encoding: "GSM-7", body: body)
            return (MailboxLayout.messagePath(number, time: message.time, id: message.id), message.fileData())
        }
        let signed = " - Bright Smile Dental. Reply STOP to opt out."
        // Ken opted out on 11 March; Tom on 12 March and got his one confirmation.
        let afterOptOut = outbound(Self.ken, "2026-03-13T10:00:00-05:00", "One more thing about parking" + signed)
        planted[afterOptOut.0] = try plant([afterOptOut.0: afterOptOut.1], "Tell Ken about parking")
        let second = outbound(Self.tom, "2026-03-13T10:05:00-05:00", "Bright Smile Dental: you are unsubscribed.", agent: Agent.systemHandle)
        planted[second.0] = try plant([second.0: second.1], "Confirm again")
        let night = outbound(Self.sarah, "2026-03-13T23:30:00-05:00", "See you tomorrow" + signed)
        planted[night.0] = try plant([night.0: night.1], "Late note")
        let grant = ConsentEvent(id: "01KKBXHQG08VBQHFSVRF81ZQ1J", kind: .granted, time: Self.at("2026-03-01T10:00:00-06:00"),
                                 number: Self.newcomer, actor: "pat")
        let bare = outbound(Self.newcomer, "2026-03-13T11:00:00-05:00", "Hi, your order is ready")
        planted[bare.0] = try plant([bare.0: bare.1, MailboxLayout.consentPath(Self.newcomer, time: grant.time, id: grant.id): grant.fileData()],
                                    "Newcomer")
        let cold = outbound(Self.stranger, "2026-03-13T11:10:00-05:00", "Special offer this week" + signed)
        planted[cold.0] = try plant([cold.0: cold.1], "Cold text")
        let review = ConsentEvent(id: "01KKBXHQG08VBQHFSVRF81ZQ2K", kind: .reviewOpened, time: Self.at("2026-03-13T09:00:00-05:00"),
                                  number: Self.reviewed, actor: Agent.systemHandle)
        let granted = ConsentEvent(id: "01KKBXHQG08VBQHFSVRF81ZQ3M", kind: .granted, time: Self.at("2026-03-01T10:00:00-06:00"),
                                   number: Self.reviewed, actor: "pat")
        let held = outbound(Self.reviewed, "2026-03-13T11:20:00-05:00", "Following up" + signed)
        planted[held.0] = try plant([held.0: held.1, MailboxLayout.consentPath(Self.reviewed, time: review.time, id: review.id): review.fileData(),
                                     MailboxLayout.consentPath(Self.reviewed, time: granted.time, id: granted.id): granted.fileData()], "Follow up")
        let stray = DeliveryRecord(messageID: "01KKZZZZZZZZZZZZZZZZZZZZZZ", status: .delivered, time: Self.at("2026-03-13T12:00:00-05:00"),
                                   gateway: "sandbox", gatewayID: "SBX1")
        let strayPath = MailboxLayout.receiptPath(Self.sarah, messageID: stray.messageID, status: .delivered)
        let strayCommit = try plant([strayPath: stray.fileData()], "Receipt")

        let report = try Self.audit(team)
        func rules(at path: String) -> Set<String> { Set(report.findings.filter { $0.path == path && $0.rule != .unattributedCommit }.map(\.rule.rawValue)) }
        // The gate itself, replayed, refuses a send after an opt-out by two rules, as `send --dry-run` shows it.
        #expect(rules(at: afterOptOut.0) == ["consent", "opt_out"])
        #expect(rules(at: second.0) == ["opt_out_confirmation"])
        #expect(rules(at: night.0) == ["quiet_hours"])
        #expect(rules(at: bare.0) == ["first_contact"])
        #expect(rules(at: cold.0) == ["consent"])
        #expect(rules(at: held.0) == ["review"])
        #expect(rules(at: strayPath) == ["orphan_receipt"])
        for (path, commit) in planted {
            #expect(report.findings.contains { $0.path == path && $0.commit == commit && $0.rule != .unattributedCommit })
        }
        let handMade = report.findings.filter { $0.rule == .unattributedCommit }
        #expect(Set(handMade.compactMap(\.commit)) == Set(planted.values).union([strayCommit]))
        #expect(handMade.allSatisfy { $0.detail.hasPrefix("Test Person <person@example.com> changed") })
        #expect(report.findings.count == 8 + 7)
        // A period before the planted messages (and the hand-made commits, made today) finds nothing.
        #expect(try Self.audit(team, until: Self.at("2026-03-13T00:00:00-05:00")).findings.isEmpty)
    }
}
