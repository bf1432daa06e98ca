import Foundation
import GRDB
import ParleyCore

/// The questions the mailbox asks of its derived index (`DerivedIndex`):
/// every conversation's summary, one page of the inbox, the review queue.
/// Each answer is read in one transaction after the index caught up with
/// the snapshot, so it is never stale.
extension MailboxIndex: DerivedIndex {
    public func conversations(at snapshot: any StoreSnapshot, onlyUnderReview: Bool,
                              progress: IndexProgress?) throws(ParleyError) -> ConversationScan {
        let condition = onlyUnderReview ? "under_review = 1" : "1"
        return try read(at: snapshot, progress: progress) { db in
            let rows = try Row.fetchAll(db,
                sql: "SELECT summary FROM conversations WHERE summary IS NOT NULL AND \(condition) ORDER BY bucket, number")
            return ConversationScan(summaries: try rows.map { try Self.decode($0["summary"]) }, problems: try Self.problems(db))
        }
    }

    public func lineSends(_ line: PhoneNumber, since: Date?, limit: Int,
                          at snapshot: any StoreSnapshot) throws(ParleyError) -> [Deliverability.LineSend] {
        try read(at: snapshot, details: .all) { db in
            try Row.fetchAll(db, sql: """
                SELECT id, time, coalesce(status, initial_status), error_code, gateway, template FROM messages
                WHERE line = ? AND direction = 'outbound' AND time > ? AND coalesce(agent, '') != ?
                ORDER BY time DESC LIMIT ?
                """, arguments: [line.e164, since?.timeIntervalSince1970 ?? -1, Agent.systemHandle, limit]).map { row in
                Deliverability.LineSend(messageID: row[0], time: Date(timeIntervalSince1970: row[1]),
                                        status: DeliveryStatus(rawValue: row[2]) ?? .pending, errorCode: row[3], gateway: row[4] ?? "",
                                        template: row[5])
            }
        }
    }

    public func appointments(from start: Date, to end: Date, at snapshot: any StoreSnapshot) throws(ParleyError) -> [AppointmentRecord] {
        try read(at: snapshot, details: .all) { db in
            try Row.fetchAll(db, sql: """
                SELECT number, time, use_case, source, imported_by FROM appointments WHERE time >= ? AND time < ? ORDER BY time, number
                """, arguments: [start.timeIntervalSince1970, end.timeIntervalSince1970]).compactMap { row in
                PhoneNumber(e164: row[0]).map { AppointmentRecord(number: $0, time: Date(timeIntervalSince1970: row[1]), useCase: row[2],
                                                                  source: row[3], importedBy: row[4]) }
            }
        }
    }

    public func closes(from start: Date, to end: Date, at snapshot: any StoreSnapshot) throws(ParleyError) -> [ClosedConversation] {
        try read(at: snapshot, details: .all) { db in
            try Row.fetchAll(db, sql: """
                SELECT number, id, time, actor, use_case, outcome FROM events WHERE kind = 'close' AND time >= ? AND time < ? ORDER BY time, number
                """, arguments: [start.timeIntervalSince1970, end.timeIntervalSince1970]).compactMap { row in
                PhoneNumber(e164: row[0]).map { ClosedConversation(number: $0, close: ConversationEvent(
                    id: row[1], kind: .close, time: Date(timeIntervalSince1970: row[2]), by: row[3], useCase: row[4], outcome: row[5])) }
            }
        }
    }

    public func inbox(at snapshot: any StoreSnapshot, filter: InboxFilter, agent: String, limit: Int?, progress: IndexProgress?,
                      begin: (_ total: Int, _ customerWaiting: Int) -> Void,
                      each: (ConversationSummary) throws(ParleyError) -> Void) throws(ParleyError) -> [ParleyError] {
        var conditions = ["has_messages = 1"]
        var arguments: StatementArguments = []
        conditions.append(filter.includeClosed ? "is_open IN (0, 1) AND opted_out IN (0, 1)" : "is_open = 1 AND opted_out = 0")
        if filter.onlyMine { conditions.append("(assignee = ? OR instr(mentions, ?) > 0)"); arguments += [agent, "|\(agent)|"] }
        let snoozedListed = filter.includeSnoozed || filter.includeClosed
        let now = filter.now?.timeIntervalSince1970 ?? -IndexUpdater.untilReply
        if !snoozedListed { conditions.append("(snoozed_until IS NULL OR snoozed_until <= ?)"); arguments += [now] }
        if filter.onlyUnassigned { conditions.append("assignee IS NULL") }
        if let tag = filter.tag { conditions.append("instr(tags, ?) > 0"); arguments += ["|\(tag.lowercased())|"] }
        if filter.onlyCustomerWaiting { conditions.append("waiting = 'customer'") }
        let condition = conditions.joined(separator: " AND ")
        // A snoozed customer waits on the customer: listed with the rest. Without snoozed rows, rank alone orders the groups.
        let customerWaiting = "(waiting = 'customer' AND (snoozed_until IS NULL OR snoozed_until <= \(now)))"
        let order = snoozedListed ? "\(customerWaiting) DESC, rank, number" : "rank, number"
        return try stream(at: snapshot, progress: progress) { db in
            let counts = try Row.fetchOne(db, sql: "SELECT COUNT(*), TOTAL(\(customerWaiting)) FROM conversations WHERE \(condition)",
                                          arguments: arguments)
            begin(counts?[0] ?? 0, Int(counts?[1] ?? 0.0))
            let rows = try Row.fetchCursor(db, sql: "SELECT summary FROM conversations WHERE \(condition) ORDER BY \(order) LIMIT ?",
                                           arguments: arguments + [limit ?? -1])
            while let row = try rows.next() { try each(try Self.decode(row[0])) }
            return try Self.problems(db)
        }
    }

    private static func decode(_ data: Data) throws -> ConversationSummary {
        try SummaryCoding.decode(data)
    }

    /// The conversations that could not be read, as `path:line: problem`.
    static func problems(_ db: Database) throws -> [ParleyError] {
        try Row.fetchAll(db, sql: "SELECT problem_path, problem_line, problem FROM conversations WHERE problem IS NOT NULL ORDER BY "
            + "number").map { row in
            let path: String = row["problem_path"] ?? ""
            let issue = FormatIssue(path: path, line: row["problem_line"], problem: row["problem"])
            return path.isEmpty ? .storage(issue.problem) : .malformed(issue)
        }
    }
}
