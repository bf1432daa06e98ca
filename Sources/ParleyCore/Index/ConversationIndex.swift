import Foundation
import GRDB

/// The questions the mailbox asks of its derived index (`MailboxIndex`):
/// every conversation's summary, one page of the inbox, the review queue.
/// Each answer is read in one transaction after the index caught up with
/// the snapshot, so it is never stale.
public enum ConversationIndex {
    /// Summaries, and the problems of conversations that could not be read.
    public struct Scan: Sendable {
        public let summaries: [ConversationSummary]
        public let problems: [ParleyError]
    }

    /// Every conversation, or only those held for consent review.
    public static func scan(_ snapshot: any StoreSnapshot, store: any MailboxStore, onlyUnderReview: Bool = false,
                            progress: IndexProgress? = nil) throws(ParleyError) -> Scan {
        let condition = onlyUnderReview ? "under_review = 1" : "1"
        return try store.index().read(at: snapshot, progress: progress) { db in
            let rows = try Row.fetchAll(db,
                sql: "SELECT summary FROM conversations WHERE summary IS NOT NULL AND \(condition) ORDER BY bucket, number")
            return Scan(summaries: try rows.map { try decode($0["summary"]) }, problems: try problems(db))
        }
    }

    /// One page of the inbox: the first `limit` entries in inbox order, how
    /// many match in all, and every conversation that could not be read.
    static func inbox(_ snapshot: any StoreSnapshot, store: any MailboxStore, filter: InboxFilter, agent: String, limit: Int?,
                      progress: IndexProgress? = nil) throws(ParleyError) -> (summaries: [ConversationSummary], total: Int, problems: [ParleyError]) {
        var conditions = ["has_messages = 1"]
        var arguments: [(any DatabaseValueConvertible)?] = []
        conditions.append(filter.includeClosed ? "is_open IN (0, 1) AND opted_out IN (0, 1)" : "is_open = 1 AND opted_out = 0")
        if filter.onlyMine { conditions.append("assignee = ?"); arguments.append(agent) }
        if filter.onlyUnassigned { conditions.append("assignee IS NULL") }
        if let tag = filter.tag { conditions.append("instr(tags, ?) > 0"); arguments.append("|\(tag.lowercased())|") }
        if filter.onlyCustomerWaiting { conditions.append("waiting = 'customer'") }
        let condition = conditions.joined(separator: " AND ")
        return try store.index().read(at: snapshot, progress: progress) { db in
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM conversations WHERE \(condition)",
                arguments: StatementArguments(arguments)!) ?? 0
            let rows = try Row.fetchAll(db, sql: """
                SELECT summary FROM conversations WHERE \(condition) ORDER BY rank, number LIMIT ?
                """, arguments: StatementArguments(arguments + [limit ?? -1])!)
            return (try rows.map { try decode($0["summary"]) }, total, try problems(db))
        }
    }

    private static func decode(_ data: Data) throws -> ConversationSummary {
        try JSONDecoder().decode(ConversationSummary.self, from: data)
    }

    static func problems(_ db: Database) throws -> [ParleyError] {
        try Row.fetchAll(db, sql: "SELECT problem_path, problem_line, problem FROM conversations WHERE problem IS NOT NULL ORDER BY "
            + "number").map { row in
            let path: String = row["problem_path"] ?? ""
            let issue = FormatIssue(path: path, line: row["problem_line"], problem: row["problem"])
            return path.isEmpty ? .storage(issue.problem) : .malformed(issue)
        }
    }
}
