import Foundation

/// `parley audit`: replays the records history against the rules, from the
/// repository alone (docs/COMPLIANCE.md, "Audit"). The records come from
/// the derived index, which Git can always rebuild; who wrote each one
/// comes from a walk of the records history, so commits made without
/// Parley are found too.
public enum Auditor {
    public static func audit(_ mailbox: Mailbox, since: Date?, until: Date?, progress: IndexProgress? = nil) throws(ParleyError) -> AuditReport {
        let store = mailbox.store
        let snapshot = try store.snapshot()
        var report = AuditReport(since: since, until: until, rulesVersion: RulesVersion.current)
        let (conversations, problems) = try store.index().read(at: snapshot, details: true, progress: progress) { db in
            (try AuditRecords.readAll(db), try ConversationIndex.problems(db))
        }
        report.unreadable = problems.map(\.description)
        let log = try AuditCommitLog.read(store, at: snapshot)
        report.counts.commits = log.commits
        for conversation in conversations {
            let contact = try snapshot.read(MailboxLayout.contactPath(conversation.number)).flatMap { data in
                try? Contact.parse(data, path: MailboxLayout.contactPath(conversation.number))
            }
            let audit = ConversationAudit(records: conversation, config: mailbox.config, contact: contact, log: log) { message throws(ParleyError) in
                let path = MailboxLayout.messagesDirectory(conversation.number) + "/" + message.name
                guard let data = try snapshot.read(path) else { return "" }
                return try Message.parse(data, path: path).body
            }
            try audit.run(into: &report)
        }
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
        return report
    }
}
