import Foundation
import ParleyCore

/// A record type the index reads from its own folder of a conversation.
protocol IndexedRecordFile: Sendable {
    static func parse(_ data: Data, path: String) throws(ParleyError) -> Self
}

extension Message: IndexedRecordFile {}
extension DeliveryRecord: IndexedRecordFile {}
extension ConversationEvent: IndexedRecordFile {}
extension ConsentEvent: IndexedRecordFile {}
extension OutcomeRecord: IndexedRecordFile {}
extension AppointmentRecord: IndexedRecordFile {}
extension AutomationRecord: IndexedRecordFile {}

/// One folder of a conversation whose files the index's details hold: where
/// it is, which files count, and what they parse to. The same description
/// serves the writer and the threads that read ahead of it, so both read
/// exactly the same files.
struct RecordFolder: Sendable {
    let table: String
    let directory: @Sendable (PhoneNumber) -> String
    let suffix: String
    let type: any IndexedRecordFile.Type

    static let messages = RecordFolder(table: "messages", directory: { MailboxLayout.messagesDirectory($0) }, suffix: ".md", type: Message.self)
    static let receipts = RecordFolder(table: "receipts", directory: { MailboxLayout.receiptsDirectory($0) }, suffix: ".yaml",
                                       type: DeliveryRecord.self)
    static let events = RecordFolder(table: "events", directory: { MailboxLayout.eventsDirectory($0) }, suffix: ".yaml", type: ConversationEvent.self)
    static let consent = RecordFolder(table: "consent_events", directory: { MailboxLayout.consentDirectory($0) }, suffix: ".yaml",
                                      type: ConsentEvent.self)
    static let outcomes = RecordFolder(table: "outcomes", directory: { MailboxLayout.outcomesDirectory($0) }, suffix: ".yaml", type: OutcomeRecord.self)
    static let appointments = RecordFolder(table: "appointments", directory: { MailboxLayout.appointmentsDirectory($0) }, suffix: ".yaml",
                                           type: AppointmentRecord.self)
    static let automationRecords = RecordFolder(table: "automation_records", directory: { MailboxLayout.automationRecordsDirectory($0) },
                                                suffix: ".yaml", type: AutomationRecord.self)
    static let all = [messages, receipts, events, consent, outcomes, appointments, automationRecords]
    /// What search reads: messages, and events for their notes.
    static let texts = [messages, events]
}
