import Foundation
import GRDB

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
        for bucket in changed {
            stored[bucket.name] = nil
            try update(bucket: bucket, under: root)
            done += 1
            progress?(done, changed.count)
        }
        for gone in stored.keys where !buckets.contains(where: { $0.name == gone }) {
            for number in try String.fetchAll(db, sql: "SELECT number FROM conversations WHERE bucket = ?", arguments: [gone]) { try forget(number) }
            try db.cachedStatement(sql: "DELETE FROM buckets WHERE name = ?").execute(arguments: [gone])
        }
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO meta(key, value) VALUES ('revision', ?)").execute(arguments: [revision])
    }

    private func update(bucket: StoreEntry, under root: String) throws {
        let path = "\(root)/\(bucket.name)"
        var known = try Dictionary(uniqueKeysWithValues: Row.fetchAll(
            db, sql: "SELECT number, content_id FROM conversations WHERE bucket = ?", arguments: [bucket.name]
        ).map { row in (row["number"] as String, row["content_id"] as String? ?? "") })
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
            try summarise(number, bucket: bucket.name, contentID: entry.contentID)
        }
        for gone in known.keys { try forget(gone) }
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO buckets(name, content_id) VALUES (?, ?)").execute(arguments: [bucket.name,
            bucket.contentID ?? ""])
    }

    private func summarise(_ number: PhoneNumber, bucket: String, contentID: String?) throws {
        let summary: ConversationSummary?
        do {
            summary = try ConversationSummary.load(number, from: snapshot)
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
                has_messages, is_open, opted_out, under_review, assignee, tags, waiting, since, name, rank)
            VALUES (?, ?, ?, ?, NULL, NULL, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                number.e164, bucket, contentID, try JSONEncoder().encode(summary), summary.lastMessage != nil, summary.state.isOpen,
                summary.consent.status == .optedOut, summary.consent.underReview, summary.state.assignee,
                summary.state.tags.sorted().map { "|\($0)|" }.joined(), waiting, since?.timeIntervalSince1970, summary.name, rank,
            ])
    }

    /// Search's half: conversations whose tree changed since their texts
    /// were indexed have their new message files read (first search after
    /// many changes pays for them, not every inbox).
    func catchUpSearch() throws {
        let stale = try Row.fetchAll(db, sql: """
            SELECT number, content_id FROM conversations
            WHERE (content_id IS NULL OR searched_id IS NOT content_id) AND summary IS NOT NULL
            """)
        for (done, row) in stale.enumerated() {
            let key: String = row["number"]
            guard let number = PhoneNumber(e164: key) else { continue }
            // A message file that cannot be read is reported by thread and
            // inbox; search skips the conversation until it is fixed.
            guard (try? indexMessages(of: number)) != nil else { continue }
            try db.cachedStatement(sql: "UPDATE conversations SET searched_id = ? WHERE number = "
                + "?").execute(arguments: [row["content_id"] as String?, key])
            if done % 100 == 99 || done == stale.count - 1 { progress?(done + 1, stale.count) }
        }
    }

    /// Message files new since the last update are read for search; gone ones are dropped.
    private func indexMessages(of number: PhoneNumber) throws {
        let directory = MailboxLayout.messagesDirectory(number)
        var files: [String: String] = [:]
        for entry in try snapshot.list(directory) ?? [] where !entry.isDirectory && entry.name.hasSuffix(".md") {
            files[entry.name] = entry.contentID ?? ""
        }
        let indexed = try Dictionary(uniqueKeysWithValues: Row.fetchAll(
            db, sql: "SELECT name, content_id FROM messages WHERE number = ?", arguments: [number.e164]
        ).map { row in (row["name"] as String, row["content_id"] as String) })
        for (name, blob) in indexed where files[name] != blob || blob.isEmpty {
            try db.cachedStatement(sql: "DELETE FROM message_text WHERE rowid = (SELECT rowid FROM messages WHERE number = ? AND name = "
                + "?)").execute(arguments: [number.e164, name])
            try db.cachedStatement(sql: "DELETE FROM messages WHERE number = ? AND name = ?").execute(arguments: [number.e164, name])
        }
        for (name, blob) in files where indexed[name] != blob || blob.isEmpty {
            let path = directory + "/" + name
            guard let data = try snapshot.read(path) else { continue }
            let message = try Message.parse(data, path: path)
            let rowID = try freeRowID(at: message.time)
            try db.execute(sql: "INSERT INTO messages(rowid, number, name, content_id, id, time, direction, agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           arguments: [rowID, number.e164, name, blob, message.id, message.time.timeIntervalSince1970, message.direction.rawValue,
                               message.agent])
            try db.cachedStatement(sql: "INSERT INTO message_text(rowid, body) VALUES (?, ?)").execute(arguments: [rowID, message.body])
        }
    }

    /// A message's row id orders by its time (milliseconds since 2000, then
    /// a slot for messages of the same millisecond), so search walks the
    /// text index newest first and stops at its limit instead of sorting
    /// every match.
    static func rowIDBase(of time: Date) -> Int64 {
        let milliseconds = (time.timeIntervalSince1970 - epoch) * 1000
        return Int64(min(max(milliseconds, 0), 1e13)) << slotBits
    }

    private static let epoch: TimeInterval = 946_684_800, slotBits: Int64 = 12

    private func freeRowID(at time: Date) throws -> Int64 {
        let base = Self.rowIDBase(of: time)
        let last = try Int64.fetchOne(db.cachedStatement(sql: "SELECT max(rowid) FROM messages WHERE rowid BETWEEN ? AND ?"),
            arguments: [base, base + (1 << Self.slotBits) - 1])
        var candidate = last.map { $0 + 1 } ?? base
        // More messages in one millisecond than slots: take the next free id.
        while try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM messages WHERE rowid = ?"), arguments: [candidate]) == true { candidate += 1 }
        return candidate
    }

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
        try db.cachedStatement(sql: "DELETE FROM messages WHERE number = ?").execute(arguments: [number])
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
