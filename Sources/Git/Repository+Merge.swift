internal import CLibGit2

/// The result of merging two trees in memory.
public struct TreeMerge: Sendable {
    /// The merged tree, when nothing conflicted.
    public let tree: ObjectID?
    /// Paths both sides changed in ways that do not combine.
    public let conflicts: [String]
}

extension Repository {
    /// The best common ancestor of two commits, nil when they share none.
    /// The corresponding libgit2 function is `git_merge_base`.
    public func mergeBase(_ one: ObjectID, _ other: ObjectID) throws(GitError) -> ObjectID? {
        var out = git_oid()
        var a = one.raw, b = other.raw
        let result = git_merge_base(&out, pointer, &a, &b)
        if result == GIT_ENOTFOUND.rawValue { return nil }
        try check(result, "git_merge_base")
        return ObjectID(out)
    }

    /// How many commits `local` has that `upstream` lacks, and the reverse.
    /// The corresponding libgit2 function is `git_graph_ahead_behind`.
    public func aheadBehind(local: ObjectID, upstream: ObjectID) throws(GitError) -> (ahead: Int, behind: Int) {
        var ahead = 0, behind = 0
        var l = local.raw, u = upstream.raw
        try check(git_graph_ahead_behind(&ahead, &behind, pointer, &l, &u), "git_graph_ahead_behind")
        return (ahead, behind)
    }

    /// Merges `theirs` into `ours` relative to `ancestor`, in memory, with
    /// rename detection off (Parley adds files; it does not move them).
    /// Files changed on one side take that side; text changed on both in
    /// different places combines as in `git merge`; anything else is a
    /// conflict, except on paths `eitherSideWins` accepts: there both sides
    /// hold the same fact written twice, and the version with the lower blob
    /// id is kept, so every clone picks the same one whatever the merge order.
    /// The corresponding libgit2 functions are `git_merge_trees` and `git_index_write_tree_to`.
    public func mergeTrees(ancestor: ObjectID?, ours: ObjectID, theirs: ObjectID,
                           eitherSideWins: (String) -> Bool = { _ in false }) throws(GitError) -> TreeMerge {
        var options = git_merge_options()
        try check(git_merge_options_init(&options, UInt32(GIT_MERGE_OPTIONS_VERSION)), "git_merge_options_init")
        options.flags = 0
        return try withOptionalTree(ancestor) { ancestorTree throws(GitError) in
            try withTree(ours) { ourTree throws(GitError) in
                try withTree(theirs) { theirTree throws(GitError) in
                    let merge = { (index: inout OpaquePointer?) in git_merge_trees(&index, self.pointer, ancestorTree, ourTree, theirTree, &options) }
                    return try withHandle("git_merge_trees", create: merge, free: git_index_free) { index throws(GitError) in
                        if git_index_has_conflicts(index) != 0 {
                            let conflicts = try Self.resolveConflicts(in: index, eitherSideWins: eitherSideWins)
                            if !conflicts.isEmpty { return TreeMerge(tree: nil, conflicts: conflicts) }
                        }
                        var oid = git_oid()
                        try check(git_index_write_tree_to(&oid, index, pointer), "git_index_write_tree_to")
                        return TreeMerge(tree: ObjectID(oid), conflicts: [])
                    }
                }
            }
        }
    }

    /// Settles the conflicts `eitherSideWins` accepts (both sides added or
    /// changed the file) and returns the paths of the rest.
    private static func resolveConflicts(in index: OpaquePointer, eitherSideWins: (String) -> Bool) throws(GitError) -> [String] {
        var unresolved: [String] = []
        var settled: [(path: String, entry: git_index_entry)] = []
        let iterate = { (iterator: inout OpaquePointer?) in git_index_conflict_iterator_new(&iterator, index) }
        try withHandle("git_index_conflict_iterator_new", create: iterate, free: git_index_conflict_iterator_free) { iterator in
            var ancestorEntry: UnsafePointer<git_index_entry>?, ourEntry: UnsafePointer<git_index_entry>?, theirEntry: UnsafePointer<git_index_entry>?
            while git_index_conflict_next(&ancestorEntry, &ourEntry, &theirEntry, iterator) == 0 {
                guard let entry = ourEntry ?? theirEntry ?? ancestorEntry else { continue }
                let path = String(cString: entry.pointee.path)
                if let ourEntry, let theirEntry, eitherSideWins(path) {
                    let ourID = ObjectID(ourEntry.pointee.id), theirID = ObjectID(theirEntry.pointee.id)
                    settled.append((path, ourID.hex <= theirID.hex ? ourEntry.pointee : theirEntry.pointee))
                } else {
                    unresolved.append(path)
                }
            }
        }
        guard unresolved.isEmpty else { return unresolved.sorted() }
        for (path, chosen) in settled {
            try check(git_index_conflict_remove(index, path), "git_index_conflict_remove")
            var entry = chosen
            entry.flags &= ~UInt16(0x3000)  // GIT_INDEX_ENTRY_STAGEMASK: stage 0, resolved
            let added = path.withCString { cPath in
                entry.path = cPath
                return git_index_add(index, &entry)
            }
            try check(added, "git_index_add")
        }
        return []
    }

    private func withOptionalTree<T>(_ id: ObjectID?, _ body: (OpaquePointer?) throws(GitError) -> T) throws(GitError) -> T {
        guard let id else { return try body(nil) }
        return try withTree(id) { tree throws(GitError) in try body(tree) }
    }
}

extension Repository {
    /// A three-way merge of trees that changed in different places, done
    /// where they differ only: a subtree only one side changed is taken
    /// whole, and only subtrees both sides changed are opened. Returns nil
    /// when some entry changed on both sides in different ways (then
    /// `mergeTrees` decides). For a mailbox, where each side added its own
    /// files, this reads a few trees instead of listing every file three
    /// times as `git_merge_trees` does.
    /// The corresponding libgit2 function is `git_tree_create_updated`.
    public func mergeDisjointTrees(ancestor: ObjectID?, ours: ObjectID, theirs: ObjectID) throws(GitError) -> ObjectID? {
        var updates: [TreeUpdate] = []
        guard try collectTheirChanges(ancestor: ancestor, ours: ours, theirs: theirs, path: "", into: &updates) else { return nil }
        return updates.isEmpty ? ours : try updatedTree(base: ours, applying: updates)
    }

    /// Their changes under `path` as updates to ours; false on an entry both
    /// changed that is not a tree on every side. A nil tree is an empty one
    /// (a folder one side deleted).
    private func collectTheirChanges(ancestor: ObjectID?, ours: ObjectID?, theirs: ObjectID?, path: String,
                                     into updates: inout [TreeUpdate]) throws(GitError) -> Bool {
        if theirs == ancestor || theirs == ours { return true }
        let base = try entriesByName(ancestor), mine = try entriesByName(ours), other = try entriesByName(theirs)
        for name in Set(base.keys).union(mine.keys).union(other.keys).sorted() {
            let before = base[name], here = mine[name], there = other[name]
            if there == before || there == here { continue }
            let full = path.isEmpty ? name : path + "/" + name
            if here == before {
                guard let there else { updates.append(.remove(full)); continue }
                updates.append(there.kind == .tree ? .upsert(full, tree: there.id) : .upsert(full, blob: there.id))
                continue
            }
            // Both sides changed this entry: only folders can still combine.
            guard [before, here, there].allSatisfy({ $0 == nil || $0?.kind == .tree }),
                  try collectTheirChanges(ancestor: before?.id, ours: here?.id, theirs: there?.id, path: full, into: &updates) else { return false }
        }
        return true
    }

    private func entriesByName(_ tree: ObjectID?) throws(GitError) -> [String: TreeEntry] {
        guard let tree else { return [:] }
        return Dictionary(try entries(ofTree: tree).map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }
}
