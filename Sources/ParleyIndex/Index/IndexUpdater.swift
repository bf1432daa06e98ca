import Foundation
import GRDB
import ParleyCore

/// Brings the index from the revision it records to a snapshot, inside the
/// caller's transaction. Only buckets whose tree id changed are listed, and
/// only conversations whose tree id changed are read: the tree diff,
/// walked from the top.
struct IndexUpdater {
    let db: Database
    let snapshot: any StoreSnapshot
    let progress: IndexProgress?

    func catchUp() throws {
        let revision = snapshot.revision ?? "empty"
        guard try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'revision'") != revision else { return }
        let root = MailboxLayout.conversationsDirectory
        let buckets = try snapshot.list(root) ?? []
        var stored = try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT name, content_id FROM buckets").map { row in
            (row["name"] as String, row["content_id"] as String)
        })
        // A store without content ids (the in-memory one) has every bucket read again.
        let changed = buckets.filter { $0.contentID == nil || stored[$0.name] != $0.contentID }
        var done = 0
        var readers: [any StoreSnapshot]? = nil
        for bucket in changed {
            stored[bucket.name] = nil
            try update(bucket: bucket, under: root, readers: &readers)
            done += 1
            progress?(done, changed.count)
        }
        for gone in stored.keys where !buckets.contains(where: { $0.name == gone }) {
            for number in try String.fetchAll(db, sql: "SELECT number FROM conversations WHERE bucket = ?", arguments: [gone]) { try forget(number) }
            try db.cachedStatement(sql: "DELETE FROM buckets WHERE name = ?").execute(arguments: [gone])
        }
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO meta(key, value) VALUES ('revision', ?)").execute(arguments: [revision])
    }

    /// `readers` are opened the first time a bucket has many conversations
    /// to read (a rebuild), and kept for the buckets after it.
    private func update(bucket: StoreEntry, under root: String, readers: inout [any StoreSnapshot]?) throws {
        let path = "\(root)/\(bucket.name)"
        var known = try Dictionary(uniqueKeysWithValues: Row.fetchAll(
            db, sql: "SELECT number, content_id FROM conversations WHERE bucket = ?", arguments: [bucket.name]
        ).map { row in (row["number"] as String, row["content_id"] as String? ?? "") })
        var pending: [(number: PhoneNumber, contentID: String?)] = []
        for entry in bucket.isDirectory ? (try snapshot.list(path) ?? []) : [] {
            let key = entry.name
            let previous = known.removeValue(forKey: key)
            if let id = entry.contentID, previous == id { continue }
            guard entry.isDirectory, let number = PhoneNumber(e164: entry.name), String(entry.name.suffix(2)) == bucket.name else {
                try record(problem: FormatIssue(path: "\(path)/\(entry.name)", line: nil,
                                                problem: "not a conversation folder: expected conversations/NN/+E164 where NN are the number's last "
                                                    + "two digits"),
                           key: key, bucket: bucket.name, contentID: entry.contentID)
                continue
            }
            pending.append((number, entry.contentID))
        }
        var loaded: [Result<ConversationSummary?, ParleyError>] = []
        if pending.count >= ParallelReads.worthwhileFrom {
            if readers == nil { readers = try snapshot.concurrentReaders(ParallelReads.threads) }
            let numbers = pending.map(\.number)
            loaded = ParallelReads.map(numbers.count, readers: readers ?? [snapshot]) { index, reader in
                Result { () throws(ParleyError) in try ConversationSummary.load(numbers[index], from: reader) }
            }
        }
        for (index, conversation) in pending.enumerated() {
            try summarise(conversation.number, bucket: bucket.name, contentID: conversation.contentID, loaded: index < loaded.count ? loaded[index] : nil)
        }
        for gone in known.keys { try forget(gone) }
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO buckets(name, content_id) VALUES (?, ?)").execute(arguments: [bucket.name,
            bucket.contentID ?? ""])
    }

    /// Writes the summary of `number`: the one `loaded` on another thread
    /// when that succeeded, else one read here (so a problem recorded is
    /// always this snapshot's).
    private func summarise(_ number: PhoneNumber, bucket: String, contentID: String?,
                           loaded: Result<ConversationSummary?, ParleyError>? = nil) throws {
        let summary: ConversationSummary?
        do {
            if case .success(let read)? = loaded { summary = read } else { summary = try ConversationSummary.load(number, from: snapshot) }
        } catch {
            try record(problem: Self.issue(error), key: number.e164, bucket: bucket, contentID: contentID)
            return
        }
        let contactRow = Self.rowID(of: number.e164)
        try db.cachedStatement(sql: "DELETE FROM contact_text WHERE rowid = ?").execute(arguments: [contactRow])
        guard let summary else {
            try db.cachedStatement(sql: "DELETE FROM conversations WHERE number = ?").execute(arguments: [number.e164])
            return
        }
        if let name = summary.name { try db.cachedStatement(sql: "INSERT INTO contact_text(rowid, name) VALUES (?, "
            + "?)").execute(arguments: [contactRow, name]) }
        let waiting = summary.waiting?.party.rawValue
        let since = summary.waiting?.since
        // Customers waiting come first, longest wait first; then the rest, most recent first.
        let rank = summary.waiting.map { $0.party == .customer ? $0.since.timeIntervalSince1970 : 1e12 - $0.since.timeIntervalSince1970 }
        try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO conversations(number, bucket, content_id, summary, problem_path, problem_line, problem,
                has_messages, is_open, opted_out, under_review, assignee, tags, mentions, snoozed_until, waiting, since, name, rank)
            VALUES (?, ?, ?, ?, NULL, NULL, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                number.e164, bucket, contentID, SummaryCoding.encode(summary), summary.lastMessage != nil, summary.state.isOpen,
                summary.consent.status == .optedOut, summary.consent.underReview, summary.state.assignee,
                summary.state.tags.sorted().map { "|\($0)|" }.joined(), summary.state.mentions.map { "|\($0)|" }.joined(),
                summary.state.snooze.map { $0.until?.timeIntervalSince1970 ?? Self.untilReply }, waiting, since?.timeIntervalSince1970, summary.name, rank,
            ])
    }

    /// `snoozed_until` of a snooze that lasts until the customer writes: later than any time.
    static let untilReply = 1e15

    private func record(problem: FormatIssue, key: String, bucket: String, contentID: String?) throws {
        try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO conversations(number, bucket, content_id, summary, problem_path, problem_line, problem)
            VALUES (?, ?, ?, NULL, ?, ?, ?)
            """).execute(arguments: [key, bucket, contentID, problem.path, problem.line, problem.problem])
    }

    private func forget(_ number: String) throws {
        try db.cachedStatement(sql: "DELETE FROM message_text WHERE rowid IN (SELECT rowid FROM messages WHERE number = "
            + "?)").execute(arguments: [number])
        try db.cachedStatement(sql: "DELETE FROM contact_text WHERE rowid = ?").execute(arguments: [Self.rowID(of: number)])
        for table in ["messages", "receipts", "events", "consent_events", "outcomes", "appointments", "automation_records", "report_facts", "contacts"] {
            try db.execute(sql: "DELETE FROM \(table) WHERE number = ?", arguments: [number])
        }
        try db.cachedStatement(sql: "DELETE FROM conversations WHERE number = ?").execute(arguments: [number])
    }

    /// A contact's text row: the number's digits (E.164 has at most 15), or
    /// a hash for a key that is not a number (a misplaced folder).
    static func rowID(of key: String) -> Int64 {
        // Otherwise FNV-1a of the key, halved to stay positive.
        Int64(key.dropFirst()).map { $0 }
            ?? Int64(truncatingIfNeeded: key.utf8.reduce(UInt64(1469598103934665603)) { ($0 ^ UInt64($1)) &* 1099511628211 } >> 1)
    }

    /// Problems are kept as `path:line: problem` to report them as the scan did.
    static func issue(_ error: Error) -> FormatIssue {
        if case .malformed(let issue)? = error as? ParleyError { return issue }
        return FormatIssue(path: "", line: nil, problem: "\(error)")
    }
}
