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
}

/// Record files of many conversations, read and parsed ahead on several
/// threads (`ParallelReads`) while the index writes them on one: parsing
/// is most of a first search's time. A file missing here, changed since,
/// or that failed is read again by the writer, so what the index holds
/// and the problems it meets are the writer's own.
struct PrefetchedRecords: Sendable {
    typealias File = (contentID: String, record: any IndexedRecordFile)
    private var files: [String: File] = [:]

    /// Records being read on other threads while the caller goes on.
    final class Pending: @unchecked Sendable {
        private let done = DispatchSemaphore(value: 0)
        // Written once, by the reading thread, before `done` is signalled.
        private var result = PrefetchedRecords()

        init(_ numbers: [PhoneNumber], readers: [any StoreSnapshot]) {
            DispatchQueue.global().async { [self] in
                result = PrefetchedRecords(numbers, readers: readers)
                done.signal()
            }
        }

        /// Waits for the records; call it once.
        func wait() -> PrefetchedRecords {
            done.wait()
            return result
        }
    }

    init() {}

    init(_ numbers: [PhoneNumber], readers: [any StoreSnapshot]) {
        for found in ParallelReads.map(numbers.count, readers: readers, { index, reader in Self.read(numbers[index], from: reader) }) {
            files.merge(found) { first, _ in first }
        }
    }

    /// The record parsed from `path` when its content is still `contentID`.
    func record<Record: IndexedRecordFile>(at path: String, contentID: String, as type: Record.Type) -> Record? {
        guard let file = files[path], file.contentID == contentID else { return nil }
        return file.record as? Record
    }

    private static func read(_ number: PhoneNumber, from snapshot: any StoreSnapshot) -> [String: File] {
        var found: [String: File] = [:]
        for folder in RecordFolder.all {
            let directory = folder.directory(number)
            for entry in (try? snapshot.list(directory)) ?? [] where !entry.isDirectory && entry.name.hasSuffix(folder.suffix) {
                let path = directory + "/" + entry.name
                guard let contentID = entry.contentID, let data = try? snapshot.read(path), let record = try? folder.type.parse(data, path: path) else { continue }
                found[path] = (contentID, record)
            }
        }
        return found
    }
}
