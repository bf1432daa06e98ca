import Foundation
import GRDB
import ParleyCore

/// One conversation's history as the index holds it (`IndexUpdater+Details`),
/// in time order: what `ConversationTimeline` walks into report facts when
/// the conversation changes, and what the evaluation reads for customers
/// with imported outcomes. Read from SQLite's columns, not from the files.
struct ConversationRecords {
    struct EventRecord {
        let time: Double
        let kind: ConversationEvent.Kind
        let actor: String
        let assignee, useCase, outcome: String?
    }

    struct ConsentRecord {
        let time: Double
        let kind: ConsentEvent.Kind
        let messageID: String?
    }

    /// An outcome imported from another system (`OutcomeRecord`).
    struct ImportedOutcome {
        let time: Double
        let useCase, outcome: String
    }

    let number: String
    var outcomes: [ImportedOutcome] = []
    var messages: [IndexedMessage] = []
    var events: [EventRecord] = []
    var consent: [ConsentRecord] = []

    /// Every conversation's records as the index's tables hold them, or one
    /// conversation's. Rows come in primary-key order—file names start with
    /// the time—so SQLite walks its tables without sorting.
    static func read(_ db: Database, number only: String? = nil) throws -> [ConversationRecords] {
        let filter = only == nil ? "" : "WHERE number = :number"
        let arguments: StatementArguments = only.map { ["number": $0] } ?? [:]
        var all: [ConversationRecords] = [], position: [String: Int] = [:]
        // Appending through the array's subscript mutates in place (a dictionary's copy-out would copy each array).
        func slot(_ number: String) -> Int {
            if let index = position[number] { return index }
            all.append(ConversationRecords(number: number))
            position[number] = all.count - 1
            return all.count - 1
        }
        // Cached statements: a rebuild reads one conversation at a time, and compiling each query cost more than running it.
        // All of them are read through the covering index; one conversation's few rows by the primary key, which a
        // rebuild keeps while it has dropped the other indexes (IndexSchema.detailIndexes).
        let index = only == nil ? "INDEXED BY messages_report" : ""
        let messages = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT number, \(IndexedMessage.columns) FROM messages \(index) \(filter) ORDER BY number, name
            """), arguments: arguments)
        var current = (number: "", slot: -1)
        while let row = try messages.next() {
            // Rows come grouped by number: look the conversation up only when it changes.
            let number: String = row[0]
            if number != current.number { current = (number, slot(number)) }
            all[current.slot].messages.append(IndexedMessage(row, from: 1))
        }
        let events = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT number, time, kind, actor, assignee, use_case, outcome FROM events \(filter) ORDER BY number, name
            """), arguments: arguments)
        while let row = try events.next() {
            guard let kind = ConversationEvent.Kind(rawValue: row[2]) else { continue }
            all[slot(row[0])].events.append(EventRecord(time: row[1], kind: kind, actor: row[3], assignee: row[4], useCase: row[5],
                outcome: row[6]))
        }
        let consent = try Row.fetchCursor(db.cachedStatement(sql: "SELECT number, time, kind, message_id FROM consent_events \(filter) ORDER BY number, name"),
                                          arguments: arguments)
        while let row = try consent.next() {
            guard let kind = ConsentEvent.Kind(rawValue: row[2]) else { continue }
            all[slot(row[0])].consent.append(ConsentRecord(time: row[1], kind: kind, messageID: row[3]))
        }
        let outcomes = try Row.fetchCursor(db.cachedStatement(sql: "SELECT number, time, use_case, outcome FROM outcomes \(filter) ORDER BY number, name"),
                                           arguments: arguments)
        while let row = try outcomes.next() {
            all[slot(row[0])].outcomes.append(ImportedOutcome(time: row[1], useCase: row[2], outcome: row[3]))
        }
        return all.sorted { $0.number < $1.number }
    }
}
