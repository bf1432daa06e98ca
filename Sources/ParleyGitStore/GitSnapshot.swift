import Foundation
import Git
import ParleyCore

/// A read-only view of one commit of a `GitMailboxStore`.
struct GitSnapshot: StoreSnapshot {
    let store: GitMailboxStore
    let commit: ObjectID?
    let tree: ObjectID?

    var revision: String? { commit?.hex }

    func read(_ path: String) throws(ParleyError) -> Data? {
        guard let tree else { return nil }
        return try store.withRepository { repository throws(GitError) -> Data? in
            guard let entry = try repository.entry(atPath: path, inTree: tree), entry.kind == .blob else { return nil }
            return try repository.blobContent(entry.id)
        }
    }

    func list(_ directory: String) throws(ParleyError) -> [StoreEntry]? {
        guard let tree else { return nil }
        return try store.withRepository { repository throws(GitError) -> [StoreEntry]? in
            let directoryTree: ObjectID
            if directory.isEmpty {
                directoryTree = tree
            } else {
                guard let entry = try repository.entry(atPath: directory, inTree: tree), entry.kind == .tree else { return nil }
                directoryTree = entry.id
            }
            return try repository.entries(ofTree: directoryTree).map {
                StoreEntry(name: $0.name, isDirectory: $0.kind == .tree, contentID: $0.id.hex)
            }
        }
    }

    func contentID(_ path: String) throws(ParleyError) -> String? {
        guard let tree else { return nil }
        if path.isEmpty { return tree.hex }
        return try store.withRepository { repository throws(GitError) in
            try repository.entry(atPath: path, inTree: tree)?.id.hex
        }
    }
}
