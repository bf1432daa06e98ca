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
    /// The scope's paths as a tree of names: a commit's tree is read only
    /// along them, and a folder met before (unchanged since an earlier
    /// commit) is not worked out again, so a scope of many people costs
    /// about what one costs.
    private let paths: PathTrie
    /// Folders already worked out, with what is left of them (nil: nothing).
    private var folders: [FolderKey: ObjectID?] = [:]
    /// Removed folders whose files are already in `removed`.
    private var counted: Set<CountedFolder> = []

    init(repository: Repository, scope: ErasureScope) {
        self.repository = repository
        self.scope = scope
        paths = PathTrie(scope.paths)
    }

    mutating func tree(_ root: ObjectID) throws(GitError) -> ObjectID {
        if let known = done[root] { return known }
        var result: ObjectID
        if let kept = try without(paths, in: root, at: "") {
            result = kept
        } else {
            result = try repository.updatedTreeByLibgit2(base: nil, applying: [])  // the empty tree
        }
        if !scope.needles.isEmpty {
            var updates: [TreeUpdate] = []
            for directory in ErasureScope.directoriesSearched {
                guard let entry = try repository.entry(atPath: directory, inTree: result), entry.kind == .tree else { continue }
                for path in try filesMentioning(in: entry.id) {
                    updates.append(.remove(directory + "/" + path))
                    removed.insert(directory + "/" + path)
                }
            }
            if !updates.isEmpty { result = try repository.updatedTreeByLibgit2(base: result, applying: updates) }
        }
        done[root] = result
        return result
    }

    /// `tree` (the folder at `path`: empty for the root, else ending in
    /// "/") without what `node` names; nil when nothing is left, as
    /// libgit2 drops a folder left empty.
    private mutating func without(_ node: PathTrie, in tree: ObjectID, at path: String) throws(GitError) -> ObjectID? {
        let key = FolderKey(tree: tree, node: ObjectIdentifier(node))
        if let known = folders[key] { return known }
        var updates: [TreeUpdate] = []
        let entries = try repository.entries(ofTree: tree)
        var removed = 0
        for entry in entries {
            guard let child = node.children[entry.name] else { continue }
            if child.removesAll {
                updates.append(.remove(entry.name))
                removed += 1
                try noteRemoved(entry, at: path + entry.name)
            } else if entry.kind == .tree {
                let rest = try without(child, in: entry.id, at: path + entry.name + "/")
                guard rest != entry.id else { continue }
                if let rest { updates.append(.upsert(entry.name, tree: rest)) } else { updates.append(.remove(entry.name)); removed += 1 }
            }
        }
        // Nothing left when every entry was removed: no need to read the rewritten folder back.
        let result: ObjectID? = updates.isEmpty ? tree
            : removed == entries.count ? nil : try repository.updatedTreeByLibgit2(base: tree, applying: updates)
        folders[key] = result
        return result
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
        // A folder removed again as it was (an old conversation, in every later commit) holds the same files.
        guard counted.insert(CountedFolder(tree: entry.id, path: path)).inserted else { return }
        for child in try repository.entries(ofTree: entry.id) { try noteRemoved(child, at: path + "/" + child.name) }
    }
}

/// A folder and the trie node it was filtered by.
private struct FolderKey: Hashable {
    let tree: ObjectID
    let node: ObjectIdentifier
}

private struct CountedFolder: Hashable {
    let tree: ObjectID
    let path: String
}

/// Paths as a tree of their names. A node that removes everything it
/// names has no children: a path inside a folder the scope also names (a
/// joint scope's person and their old messages) is covered by the folder.
private final class PathTrie {
    private(set) var children: [String: PathTrie] = [:]
    private(set) var removesAll = false

    init(_ paths: [String] = []) {
        for path in paths { insert(path.split(separator: "/").map(String.init)[...]) }
    }

    private func insert(_ components: ArraySlice<String>) {
        guard !removesAll else { return }
        guard let name = components.first else {
            removesAll = true
            children = [:]
            return
        }
        let child = children[name] ?? PathTrie()
        children[name] = child
        child.insert(components.dropFirst())
    }
}
