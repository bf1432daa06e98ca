import Foundation
import ParleyCore

/// Record files of many conversations, read and parsed ahead on several
/// threads (`ParallelReads`) while the index writes them on one: parsing
/// is most of a first search's time. A file missing here, changed since,
/// or that failed is read again by the writer, so what the index holds
/// and the problems it meets are the writer's own.
struct PrefetchedRecords: Sendable {
    typealias File = (contentID: String, record: any IndexedRecordFile)
    private var files: [String: File] = [:]
    private var listings: [String: [StoreEntry]] = [:]
    /// Each contact file read: nil when there is none or it does not parse.
    private var contacts: [String: Contact?] = [:]

    /// Records being read on other threads while the caller goes on.
    final class Pending: @unchecked Sendable {
        private let done = DispatchSemaphore(value: 0)
        // Written once, by the reading thread, before `done` is signalled.
        private var result = PrefetchedRecords()

        /// Reads `requests` on `queue`, which must be serial and the only
        /// one given these `readers`: a reader is used by one thread at a
        /// time, so batches queued together are read one after another.
        init(_ requests: [Request], readers: [any StoreSnapshot], on queue: DispatchQueue) {
            queue.async { [self] in
                result = PrefetchedRecords(requests, readers: readers)
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

    /// One conversation to read ahead: the folders whose files the writer
    /// will sync, those of them whose rows it already holds (listed, not
    /// read: a report after the first search), and whether its contact.
    struct Request: Sendable {
        let number: PhoneNumber
        let folders: [RecordFolder]
        let current: [RecordFolder]
        let contact: Bool
    }

    init(_ requests: [Request], readers: [any StoreSnapshot]) {
        for found in ParallelReads.map(requests.count, readers: readers, { index, reader in Self(requests[index], from: reader) }) {
            files.merge(found.files) { first, _ in first }
            listings.merge(found.listings) { first, _ in first }
            contacts.merge(found.contacts) { first, _ in first }
        }
    }

    /// The record parsed from `path` when its content is still `contentID`.
    func record<Record: IndexedRecordFile>(at path: String, contentID: String, as type: Record.Type) -> Record? {
        guard let file = files[path], file.contentID == contentID else { return nil }
        return file.record as? Record
    }

    /// The entries of a record folder as the threads listed it (empty when
    /// there is no such folder), nil when they could not: the writer then
    /// lists it itself instead of walking from the root to it again.
    func listing(of directory: String) -> [StoreEntry]? { listings[directory] }

    /// The contact at `path` as the threads read it: `.some(nil)` when there
    /// was none or it did not parse, nil when they did not read it.
    func contact(at path: String) -> Contact?? { contacts[path] }

    /// One conversation: its folder listed once, each record folder and
    /// file then reached by id.
    private init(_ request: Request, from snapshot: any StoreSnapshot) {
        let number = request.number, conversation = MailboxLayout.conversationDirectory(number)
        guard let children = try? snapshot.list(conversation) ?? [] else { return }
        let folders = Dictionary(children.map { ($0.path(in: conversation), $0) }, uniquingKeysWith: { first, _ in first })
        if request.contact {
            let path = MailboxLayout.contactPath(number)
            if let entry = folders[path] {
                if let data = try? snapshot.read(entry, in: conversation) { contacts[path] = .some(try? Contact.parse(data, path: path)) }
            } else {
                contacts[path] = .some(nil)
            }
        }
        for folder in request.folders {
            let directory = folder.directory(number)
            var entries: [StoreEntry] = []
            if let entry = folders[directory] {
                guard let listed = try? snapshot.list(entry, in: conversation) else { continue }
                entries = listed
            }
            listings[directory] = entries
            guard !request.current.contains(where: { $0.table == folder.table }) else { continue }
            for entry in entries where !entry.isDirectory && entry.name.hasSuffix(folder.suffix) {
                let path = entry.path(in: directory)
                guard let contentID = entry.contentID, let data = try? snapshot.read(entry, in: directory),
                      let record = try? folder.type.parse(data, path: path) else { continue }
                files[path] = (contentID, record)
            }
        }
    }
}
