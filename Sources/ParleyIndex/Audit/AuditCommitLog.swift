import Foundation
import ParleyCore

/// What the records history says about who wrote what: the commit that
/// recorded each message (from Parley's trailers, or from the files a
/// hand-made commit changed), the rules version each send recorded, and
/// the commits that changed records without Parley's trailers.
struct AuditCommitLog {
    struct HandMade {
        let entry: HistoryEntry
        let recordFiles: [String]
    }

    private var recordedBy: [String: (commit: String, time: Date)] = [:]
    /// Messages sent under a rules version other than this build's (the usual case, the same version, is not kept).
    private(set) var olderRulesOfMessage: [String: String] = [:]
    /// Sends per rules version recorded (`Parley-Rules`).
    private(set) var rulesRecorded: [String: Int] = [:]
    private(set) var handMade: [HandMade] = []
    /// The commits that recorded an approval (`Parley-Approved-By`), by message: the approver and the commit's author address.
    private(set) var approvals: [String: [(commit: String, approver: String, email: String)]] = [:]
    private(set) var commits = 0


    static func read(_ store: any MailboxStore, at snapshot: any StoreSnapshot) throws(ParleyError) -> AuditCommitLog {
        var log = AuditCommitLog()
        try store.walkRecordCommits(at: snapshot) { commit in log.add(commit) }
        return log
    }

    /// The commit that stored a message: the earliest that names it.
    func commit(ofMessage id: String) -> String? { recordedBy[id]?.commit }

    private mutating func note(_ message: String, in entry: HistoryEntry) {
        if let known = recordedBy[message], known.time <= entry.time { return }
        recordedBy[message] = (entry.id, entry.time)
    }

    private mutating func add(_ commit: RecordCommit) {
        commits += 1
        if let files = commit.changedFiles {
            let records = files.filter(MailboxLayout.isRecordPath)
            if !records.isEmpty { handMade.append(HandMade(entry: commit.entry, recordFiles: records)) }
            for path in records where path.split(separator: "/").dropLast().last == "messages" {
                if let name = path.split(separator: "/").last, let messageID = MailboxLayout.messageID(fromFileName: String(name)) {
                    note(messageID, in: commit.entry)
                }
            }
            return
        }
        let trailers = commit.trailers
        // A send approved now, or a scheduled text approved before its time (`outbox-scheduled`).
        if let approver = trailers.last(where: { $0.0 == .approvedBy })?.1 {
            for (key, value) in trailers where key == .messageID {
                approvals[value, default: []].append((commit.entry.id, approver, commit.entry.authorEmail))
            }
        }
        guard let action = trailers.last(where: { $0.0 == .action }).flatMap({ CommitAction(rawValue: $0.1) }), action.storesMessages else { return }
        let rules = trailers.last { $0.0 == .rules }?.1
        if let rules { rulesRecorded[rules, default: 0] += 1 }
        for (key, value) in trailers where key == .messageID {
            note(value, in: commit.entry)
            if let rules, rules != RulesVersion.current { olderRulesOfMessage[value] = rules }
        }
    }
}
