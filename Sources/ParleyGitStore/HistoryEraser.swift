import Foundation
import Git
import ParleyCore

/// The tree side of an erasure: each commit's tree without the scope's
/// paths, and without the outbox entries and unmatched receipts that
/// mention the number. Trees already seen are not worked out again, and
/// only libgit2's own tree writes are used, so any clone erasing the same
/// scope from the same tree writes the same tree.
struct HistoryEraser {
    let repository: Repository
    let scope: ErasureScope
    private var done: [ObjectID: ObjectID] = [:]
    private var mentioning: [ObjectID: [String]] = [:]
    private var blobMentions: [ObjectID: Bool] = [:]
    /// Every path removed from some commit.
    private(set) var removed: Set<String> = []

    /// The scope's paths, each once, but those inside a folder it also
    /// names: a joint scope may name a person's folder and their old
    /// messages in it, and removing the folder is enough.
    private let removable: [String]

    init(repository: Repository, scope: ErasureScope) {
        self.repository = repository
        self.scope = scope
        let named = Set(scope.paths)
        var kept = Set<String>()
        removable = scope.paths.filter { !Self.hasFolder(above: $0, in: named) && kept.insert($0).inserted }
    }

    mutating func tree(_ root: ObjectID) throws(GitError) -> ObjectID {
        if let known = done[root] { return known }
        var updates: [TreeUpdate] = []
        for path in removable {
            guard let entry = try repository.entry(atPath: path, inTree: root) else { continue }
            updates.append(.remove(path))
            try noteRemoved(entry, at: path)
        }
        if !scope.needles.isEmpty {
            for directory in ErasureScope.directoriesSearched {
                guard let entry = try repository.entry(atPath: directory, inTree: root), entry.kind == .tree else { continue }
                for path in try filesMentioning(in: entry.id) {
                    updates.append(.remove(directory + "/" + path))
                    removed.insert(directory + "/" + path)
                }
            }
        }
        let result = updates.isEmpty ? root : try repository.updatedTreeByLibgit2(base: root, applying: updates)
        done[root] = result
        return result
    }

    /// Whether a folder that holds `path` is among `paths`.
    private static func hasFolder(above path: String, in paths: Set<String>) -> Bool {
        var prefix = Substring(path)
        while let slash = prefix.lastIndex(of: "/") {
            prefix = prefix[..<slash]
            if paths.contains(String(prefix)) { return true }
        }
        return false
    }

    /// Paths under a tree (relative to it) of the files that mention the number.
    private mutating func filesMentioning(in tree: ObjectID) throws(GitError) -> [String] {
        if let known = mentioning[tree] { return known }
        var found: [String] = []
        for entry in try repository.entries(ofTree: tree) {
            if entry.kind == .tree {
                found += try filesMentioning(in: entry.id).map { entry.name + "/" + $0 }
            } else if try mentions(entry.id) {
                found.append(entry.name)
            }
        }
        mentioning[tree] = found
        return found
    }

    private mutating func mentions(_ blob: ObjectID) throws(GitError) -> Bool {
        if let known = blobMentions[blob] { return known }
        let answer = scope.mentions(try repository.blobContent(blob))
        blobMentions[blob] = answer
        return answer
    }

    private mutating func noteRemoved(_ entry: TreeEntry, at path: String) throws(GitError) {
        guard entry.kind == .tree else {
            removed.insert(path)
            return
        }
        for child in try repository.entries(ofTree: entry.id) { try noteRemoved(child, at: path + "/" + child.name) }
    }
}
