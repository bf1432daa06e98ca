import Foundation
import Git
import ParleyCore

/// One branch tip: a commit and its tree, both nil while the branch is unborn.
struct BranchTip: Sendable, Equatable {
    let commit: ObjectID?
    let tree: ObjectID?

    static let unborn = BranchTip(commit: nil, tree: nil)
}

/// A read-only view of a `GitMailboxStore` at one moment: the checked-out
/// branch (what people edit) and, in format 2, the records branch. Each
/// path is read from the branch it lives on (`MailboxLayout.isOnRecordsBranch`).
struct GitSnapshot: StoreSnapshot {
    let store: GitMailboxStore
    /// The checked-out branch.
    let main: BranchTip
    /// The records branch; nil in a format-1 mailbox, where everything is on `main`.
    let records: BranchTip?
    /// A handle of its own (`concurrentReaders`); nil: the store's.
    var reader: LockedRepository? = nil

    /// One commit id in format 1; `MAIN:RECORDS` in format 2, so a cache
    /// keyed on it changes when either branch moves.
    var revision: String? {
        guard let records else { return main.commit?.hex }
        return "\(main.commit?.hex ?? "-"):\(records.commit?.hex ?? "-")"
    }

    func tip(for path: String) -> BranchTip {
        if let records, MailboxLayout.isOnRecordsBranch(path) { return records }
        return main
    }

    func read(_ path: String) throws(ParleyError) -> Data? {
        guard let tree = tip(for: path).tree else { return nil }
        return try withRepository { repository throws(GitError) -> Data? in
            guard let entry = try repository.entry(atPath: path, inTree: tree), entry.kind == .blob else { return nil }
            return try repository.blobContent(entry.id)
        }
    }

    func list(_ directory: String) throws(ParleyError) -> [StoreEntry]? {
        if directory.isEmpty, let records {
            // The root of a format-2 mailbox is both roots together.
            let both = (try list(directory, in: main.tree) ?? []) + (try list(directory, in: records.tree) ?? [])
            return both.sorted { $0.name < $1.name }
        }
        return try list(directory, in: tip(for: directory).tree)
    }

    func read(_ entry: StoreEntry, in directory: String) throws(ParleyError) -> Data? {
        guard !entry.isDirectory else { return nil }
        if let blob = entry.contentID.flatMap(ObjectID.init(hex:)),
           let data = try? withRepository({ repository throws(GitError) in try repository.blobContent(blob) }) {
            return data
        }
        // Not a blob (a submodule's commit) or not readable by id: the path read says which.
        return try read(entry.path(in: directory))
    }

    func list(_ entry: StoreEntry, in directory: String) throws(ParleyError) -> [StoreEntry]? {
        guard entry.isDirectory else { return nil }
        guard let tree = entry.contentID.flatMap(ObjectID.init(hex:)) else { return try list(entry.path(in: directory)) }
        return try withRepository { repository throws(GitError) in try Self.entries(of: tree, in: repository) }
    }

    private static func entries(of tree: ObjectID, in repository: Repository) throws(GitError) -> [StoreEntry] {
        try repository.entries(ofTree: tree).map { StoreEntry(name: $0.name, isDirectory: $0.kind == .tree, contentID: $0.id.hex) }
    }

    private func list(_ directory: String, in tree: ObjectID?) throws(ParleyError) -> [StoreEntry]? {
        guard let tree else { return nil }
        return try withRepository { repository throws(GitError) -> [StoreEntry]? in
            let directoryTree: ObjectID
            if directory.isEmpty {
                directoryTree = tree
            } else {
                guard let entry = try repository.entry(atPath: directory, inTree: tree), entry.kind == .tree else { return nil }
                directoryTree = entry.id
            }
            return try Self.entries(of: directoryTree, in: repository)
        }
    }

    /// Each copy opens a libgit2 handle of its own, as one handle must not
    /// be used by two threads at once. The tips' objects are on disk (a
    /// branch moves only after its objects are written), so every handle
    /// finds them.
    func concurrentReaders(_ count: Int) throws(ParleyError) -> [any StoreSnapshot] {
        guard count > 1 else { return [self] }
        return try (0..<count).map { _ throws(ParleyError) in
            var copy = self
            copy.reader = try store.openReader()
            return copy
        }
    }

    private func withRepository<T>(_ body: (Repository) throws(GitError) -> T) throws(ParleyError) -> T {
        guard let reader else { return try store.withRepository(body) }
        do {
            return try reader.with(body)
        } catch {
            throw GitMailboxStore.storageError(error)
        }
    }

    func contentID(_ path: String) throws(ParleyError) -> String? {
        if path.isEmpty {
            guard let records else { return main.tree?.hex }
            return "\(main.tree?.hex ?? "-"):\(records.tree?.hex ?? "-")"
        }
        guard let tree = tip(for: path).tree else { return nil }
        return try withRepository { repository throws(GitError) in
            try repository.entry(atPath: path, inTree: tree)?.id.hex
        }
    }
}
