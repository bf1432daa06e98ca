import Foundation
import Synchronization
import ParleyCore

/// `parley audit`: replays the records history against the rules, from the
/// repository alone (docs/COMPLIANCE.md, "Audit"). The records come from
/// the derived index, which Git can always rebuild; who wrote each one
/// comes from a walk of every commit of the records history, which runs
/// beside the replay (on its own repository handle) and is joined at the
/// end, so commits made without Parley are found too.
public enum Auditor {
    public static func audit(_ mailbox: Mailbox, since: Date?, until: Date?, progress: IndexProgress? = nil) throws(ParleyError) -> AuditReport {
        let store = mailbox.store
        let snapshot = try store.snapshot()
        var report = AuditReport(since: since, until: until, timeZone: mailbox.config.timeZone, rulesVersion: RulesVersion.current)
        let walk = Mutex<Result<AuditCommitLog, ParleyError>?>(nil)
        let walked = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            let result = Result { () throws(ParleyError) in try AuditCommitLog.read(store, at: snapshot) }
            walk.withLock { $0 = result }
            walked.signal()
        }
        var approved: [(number: PhoneNumber, message: IndexedMessage)] = []
        let replayed = Result { () throws(ParleyError) in
            let (conversations, problems) = try store.sqlIndex().read(at: snapshot, details: .all, progress: progress) { db in
                (try AuditRecords.readAll(db), try MailboxIndex.problems(db))
            }
            report.unreadable = problems.map(\.description)
            // Today's link shorteners (the tone guide's list) and content words judge every past text's content.
            let gate = try ComplianceGate.reading(snapshot, config: mailbox.config)
            for conversation in conversations {
                ConversationAudit(records: conversation, gate: gate, review: mailbox.config.review).run(into: &report)
                approved += conversation.messages.filter { $0.approvedBy != nil && report.covers($0.date) }.map { (conversation.number, $0) }
            }
        }
        walked.wait()
        try replayed.get()
        let log = try walk.withLock { $0! }.get()
        if mailbox.config.review.requireSigned {
            let allowed = try snapshot.read(MailboxLayout.allowedSigners).map { String(decoding: $0, as: UTF8.self) } ?? ""
            for (number, message) in approved where try !signedApproval(of: message, in: log, store: store, allowedSigners: allowed) {
                report.findings.append(AuditFinding(rule: .approval, commit: nil,
                    path: MailboxLayout.messagesDirectory(number) + "/" + message.name, message: message.id, number: number.e164,
                    time: message.date, detail: "approved by \(message.approvedBy ?? "?"), but in no commit signed with a key "
                        + "\(MailboxLayout.allowedSigners) lists for the approver (review.require_signed)"))
            }
        }
        attribute(log, into: &report)
        return report
    }

    /// Whether a commit that recorded `message`'s approval, by its approver, carries a valid SSH
    /// signature by a key `allowedSigners` lists for that commit's author address.
    private static func signedApproval(of message: IndexedMessage, in log: AuditCommitLog, store: any MailboxStore,
                                       allowedSigners: String) throws(ParleyError) -> Bool {
        for approval in log.approvals[message.id] ?? [] where approval.approver == message.approvedBy {
            guard let signed = try store.commitSignature(approval.commit) else { continue }
            if SSHSignature.verify(signed.signature, of: signed.signedData, allowedSigners: allowedSigners, principal: approval.email) {
                return true
            }
        }
        return false
    }

    /// Names the commit behind each finding and override, and lists the commits made without Parley.
    private static func attribute(_ log: AuditCommitLog, into report: inout AuditReport) {
        report.counts.commits = log.commits
        report.rulesRecorded = log.rulesRecorded
        for index in report.findings.indices {
            guard let message = report.findings[index].message else { continue }
            report.findings[index].commit = log.commit(ofMessage: message)
            if report.findings[index].rule == .gate(.quietHours), let recorded = log.olderRulesOfMessage[message] {
                report.findings[index].detail += " (the send recorded rules \(recorded); replayed under \(RulesVersion.current), the only "
                    + "rules this Parley carries)"
            }
        }
        for index in report.overrides.indices { report.overrides[index].commit = log.commit(ofMessage: report.overrides[index].message) }
        for commit in log.handMade where report.covers(commit.entry.time) {
            report.counts.unattributedCommits += 1
            let shown = commit.recordFiles.prefix(3).joined(separator: ", ") + (commit.recordFiles.count > 3 ? ", …" : "")
            report.findings.append(AuditFinding(rule: .unattributedCommit, commit: commit.entry.id, path: commit.recordFiles[0],
                number: nil, time: commit.entry.time,
                detail: "\(commit.entry.authorName) <\(commit.entry.authorEmail)> changed \(commit.recordFiles.count) record file(s) "
                    + "without Parley's trailers: \(shown) (\"\(commit.entry.summary)\")"))
        }
        report.overrides.sort { ($0.time, $0.number) < ($1.time, $1.number) }
        report.findings.sort { ($0.time ?? .distantPast, $0.path) < ($1.time ?? .distantPast, $1.path) }
    }
}
