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
