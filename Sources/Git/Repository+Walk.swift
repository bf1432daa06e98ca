internal import CLibGit2
import Foundation

/// One commit as a history walk sees it: enough to index it, no message.
public struct WalkedCommit: Sendable {
    public let id: ObjectID
    public let tree: ObjectID
    public let parents: [ObjectID]
}

extension Repository {
    /// Whether `ancestor` is `commit` or in its history.
    /// The corresponding libgit2 function is `git_graph_descendant_of`.
    public func isAncestor(_ ancestor: ObjectID, of commit: ObjectID) throws(GitError) -> Bool {
        guard ancestor != commit else { return true }
        var descendant = commit.raw, older = ancestor.raw
        let result = git_graph_descendant_of(pointer, &descendant, &older)
        try check(result, "git_graph_descendant_of")
        return result == 1
    }

    /// Calls `body` for every commit reachable from `start` and not from
    /// `hidden`, newest first, one at a time (no full walk before the first),
    /// until `body` returns false.
    /// The corresponding libgit2 functions are `git_revwalk_hide` and `git_revwalk_next`.
    public func walk(from start: ObjectID, hiding hidden: ObjectID?, _ body: (WalkedCommit) throws(GitError) -> Bool) throws(GitError) {
        try withHandle("git_revwalk_new", create: { git_revwalk_new(&$0, pointer) }, free: git_revwalk_free) { revwalk throws(GitError) in
            try walk(revwalk, from: start, hiding: hidden, body)
        }
    }

    private func walk(_ walk: OpaquePointer, from start: ObjectID, hiding hidden: ObjectID?,
                      _ body: (WalkedCommit) throws(GitError) -> Bool) throws(GitError) {
        // libgit2's default order is git's (newest first by commit date,
        // a child before its parent) and comes as the walk goes; asking
        // for any sorting makes libgit2 walk the whole history before the
        // first commit: seconds on a year of mailbox history, even for `--limit 20`.
        try check(git_revwalk_sorting(walk, GIT_SORT_NONE.rawValue), "git_revwalk_sorting")
        var startRaw = start.raw
        try check(git_revwalk_push(walk, &startRaw), "git_revwalk_push")
        if var hiddenRaw = hidden?.raw { try check(git_revwalk_hide(walk, &hiddenRaw), "git_revwalk_hide") }
        var oid = git_oid()
        while true {
            let result = git_revwalk_next(&oid, walk)
            if result == GIT_ITEROVER.rawValue { return }
            try check(result, "git_revwalk_next")
            let commit = try withCommit(ObjectID(oid)) { commit in
                WalkedCommit(id: ObjectID(oid), tree: ObjectID(git_commit_tree_id(commit).pointee),
                             parents: (0..<git_commit_parentcount(commit)).map { ObjectID(git_commit_parent_id(commit, $0).pointee) })
            }
            guard try body(commit) else { return }
        }
    }

    /// Calls `body` once for every commit reachable from `start`, with its
    /// message and signatures, in no particular order, until it returns
    /// false. Each commit is read once: a revision walk reads it for its
    /// parents and a look-up reads it again, which on a large pack means
    /// resolving every delta twice.
    /// The corresponding libgit2 function is `git_commit_lookup`.
    public func forEachCommit(from start: ObjectID, _ body: (WalkedCommit, CommitInfo) throws(GitError) -> Bool) throws(GitError) {
        var seen: Set<ObjectID> = [start], pending = [start]
        while let next = pending.popLast() {
            let (commit, info) = try withCommit(next) { commit in
                (WalkedCommit(id: next, tree: ObjectID(git_commit_tree_id(commit).pointee),
                              parents: (0..<git_commit_parentcount(commit)).map { ObjectID(git_commit_parent_id(commit, $0).pointee) }),
                 Self.info(of: commit, id: next))
            }
            for parent in commit.parents where seen.insert(parent).inserted { pending.append(parent) }
            guard try body(commit, info) else { return }
        }
    }

    /// The paths exactly `depth` levels below `directory` whose entry differs
    /// between the trees `old` (nil: nothing) and `new`, for example the
    /// conversation folders a commit changed. Only differing subtrees are
    /// opened, and entries are compared by id without copying their names,
    /// so a commit that changed one folder among thousands costs a few
    /// microseconds.
    /// The corresponding libgit2 functions are `git_tree_entry_byindex` and `git_tree_entry_id`.
    public func changedPaths(under directory: String, depth: Int, old: ObjectID?, new: ObjectID) throws(GitError) -> [String] {
        let newEntry = try entry(atPath: directory, inTree: new)
        let oldEntry = try old.flatMap { old throws(GitError) in try entry(atPath: directory, inTree: old) }
        var changed: [String] = []
        try collect(old: oldEntry?.kind == .tree ? oldEntry?.id : nil, new: newEntry?.kind == .tree ? newEntry?.id : nil,
                    path: directory, depth: depth, into: &changed)
        return changed
    }

    /// Every file path that differs between the trees `old` (nil: nothing)
    /// and `new`, opening only the subtrees that differ: what a commit made
    /// by hand changed, for an audit; what a merge or fast-forward brings
    /// into the work tree, for a sync. (libgit2's tree diff walks every
    /// entry of both trees: most of a day's sync at 10,000 conversations.)
    public func changedFiles(old: ObjectID?, new: ObjectID) throws(GitError) -> [String] {
        var changed: [String] = []
        try collect(old: old, new: new, path: "", depth: .max, into: &changed)
        return changed
    }

    private func collect(old: ObjectID?, new: ObjectID?, path: String, depth: Int, into changed: inout [String]) throws(GitError) {
        guard old != new else { return }
        var differing: [(name: String, old: ObjectID?, new: ObjectID?)] = []
        try withTree(orNil: old) { oldTree throws(GitError) in
            try withTree(orNil: new) { newTree throws(GitError) in
                let oldCount = oldTree.map(git_tree_entrycount) ?? 0, newCount = newTree.map(git_tree_entrycount) ?? 0
                var i = 0, j = 0
                // Both trees are in Git's order: one merge pass finds what differs.
                while i < oldCount || j < newCount {
                    let before = i < oldCount ? git_tree_entry_byindex(oldTree, i) : nil
                    let after = j < newCount ? git_tree_entry_byindex(newTree, j) : nil
                    let order = before == nil ? 1 : after == nil ? -1 : Self.gitOrder(before!, after!)
                    if order == 0 {
                        if git_oid_equal(git_tree_entry_id(before), git_tree_entry_id(after)) == 0 {
                            differing.append((Self.name(before!), Self.subtree(before!), Self.subtree(after!)))
                        }
                        i += 1
                        j += 1
                    } else if order < 0 {
                        differing.append((Self.name(before!), Self.subtree(before!), nil))
                        i += 1
                    } else {
                        differing.append((Self.name(after!), nil, Self.subtree(after!)))
                        j += 1
                    }
                }
            }
        }
        for entry in differing {
            let entryPath = path.isEmpty ? entry.name : path + "/" + entry.name
            // A file differs where no subtree is left to open (only a file walk goes that deep).
            if depth == 1 || (entry.old == nil && entry.new == nil) {
                if changed.last != entryPath { changed.append(entryPath) }
            } else {
                try collect(old: entry.old, new: entry.new, path: entryPath, depth: depth - 1, into: &changed)
            }
        }
    }

    private func withTree(orNil treeID: ObjectID?, _ body: (OpaquePointer?) throws(GitError) -> Void) throws(GitError) {
        guard let treeID else { return try body(nil) }
        try withTree(treeID) { tree throws(GitError) in try body(tree) }
    }

    private static func name(_ entry: OpaquePointer) -> String { String(cString: git_tree_entry_name(entry)) }

    private static func subtree(_ entry: OpaquePointer) -> ObjectID? {
        git_tree_entry_type(entry) == GIT_OBJECT_TREE ? ObjectID(git_tree_entry_id(entry).pointee) : nil
    }

    /// Git's tree order: by name bytes, a tree's name compared as if it ended in "/".
    private static func gitOrder(_ a: OpaquePointer, _ b: OpaquePointer) -> Int {
        let nameA = git_tree_entry_name(a)!, nameB = git_tree_entry_name(b)!
        let lengthA = strlen(nameA), lengthB = strlen(nameB), common = min(lengthA, lengthB)
        let bytes = memcmp(nameA, nameB, common)
        if bytes != 0 { return Int(bytes) }
        let slash = Int(UInt8(ascii: "/"))
        let nextA = lengthA > common ? Int(UInt8(bitPattern: nameA[common])) : git_tree_entry_type(a) == GIT_OBJECT_TREE ? slash : 0
        let nextB = lengthB > common ? Int(UInt8(bitPattern: nameB[common])) : git_tree_entry_type(b) == GIT_OBJECT_TREE ? slash : 0
        return nextA - nextB
    }
}
