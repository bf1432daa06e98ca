import Foundation
import GRDB
import ParleyCore

/// One conversation's records as the audit replays them, read from the
/// derived index in time order (file names start with the time)—with the
/// contact's zone and state and the first text sent, so the replay never
/// reads Git.
struct AuditRecords {
    struct ReceiptRow {
        let name, messageID: String
        let time: Date
    }

    let number: PhoneNumber
    /// Only the zone and state, which quiet hours need, and the line type the reachable rule reads.
    var contact: Contact?
    /// The text of each outbound message by id, for the first-contact and content rules.
    var outboundBodies: [String: String] = [:]
    var messages: [IndexedMessage] = []
    /// Triage events (use case, unreachable marks), for the frequency and reachable rules.
    var events: [ConversationEvent] = []
    var consent: [ConsentEvent] = []
    var receipts: [ReceiptRow] = []

    static func readAll(_ db: Database) throws -> [AuditRecords] {
        var all: [String: AuditRecords] = [:]
        func append(_ number: String, _ add: (inout AuditRecords) -> Void) {
            guard let parsed = PhoneNumber(e164: number) else { return }
            add(&all[number, default: AuditRecords(number: parsed)])
        }
        let messages = try Row.fetchCursor(db, sql: "SELECT number, \(IndexedMessage.columns) FROM messages ORDER BY number, name")
        while let row = try messages.next() {
            let message = IndexedMessage(row, from: 1)
            append(row[0]) { $0.messages.append(message) }
        }
        // The text of every outbound message, by the row id a message shares with its text.
        let bodies = try Row.fetchCursor(db, sql: """
            SELECT m.number, m.id, t.body FROM messages m JOIN message_text t ON t.rowid = m.rowid WHERE m.direction = 'outbound'
            """)
        while let row = try bodies.next() {
            let id: String = row[1], body: String = row[2]
            append(row[0]) { $0.outboundBodies[id] = body }
        }
        let events = try Row.fetchCursor(db, sql: """
            SELECT number, id, time, kind, use_case FROM events WHERE kind IN ('use_case', 'close', 'unreachable', 'reachable') ORDER BY number, name
            """)
        while let row = try events.next() {
            guard let kind = ConversationEvent.Kind(rawValue: row[3]) else { continue }
            let event = ConversationEvent(id: row[1], kind: kind, time: Date(timeIntervalSince1970: row[2]), by: "", useCase: row[4])
            append(row[0]) { $0.events.append(event) }
        }
        let contacts = try Row.fetchCursor(db, sql: """
            SELECT number, time_zone, state, line_type, line_type_checked, line_type_source FROM contacts
            WHERE time_zone IS NOT NULL OR state IS NOT NULL OR line_type IS NOT NULL
            """)
        while let row = try contacts.next() {
            guard let number = PhoneNumber(e164: row[0]) else { continue }
            var contact = Contact(number: number, timeZone: row[1], state: row[2])
            contact.lineType = (row[3] as String?).flatMap(LineType.init(rawValue:))
            contact.lineTypeCheckedAt = (row[4] as Double?).map(Date.init(timeIntervalSince1970:))
            contact.lineTypeSource = row[5]
            append(row[0]) { $0.contact = contact }
        }
        let consent = try Row.fetchCursor(db, sql: "SELECT number, id, time, kind, message_id, resolution FROM consent_events ORDER BY number, name")
        while let row = try consent.next() {
            guard let kind = ConsentEvent.Kind(rawValue: row[3]), let number = PhoneNumber(e164: row[0]) else { continue }
            let event = ConsentEvent(id: row[1], kind: kind, time: Date(timeIntervalSince1970: row[2]), number: number, actor: "",
                                     messageID: row[4], resolution: row[5])
            append(row[0]) { $0.consent.append(event) }
        }
        let receipts = try Row.fetchCursor(db, sql: "SELECT number, name, message_id, time FROM receipts ORDER BY number, name")
        while let row = try receipts.next() {
            let receipt = ReceiptRow(name: row[1], messageID: row[2], time: Date(timeIntervalSince1970: row[3]))
            append(row[0]) { $0.receipts.append(receipt) }
        }
        return all.values.sorted { $0.number.e164 < $1.number.e164 }
    }
}
