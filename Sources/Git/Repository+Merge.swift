import CLibGit2

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
                    var index: OpaquePointer?
                    try check(git_merge_trees(&index, pointer, ancestorTree, ourTree, theirTree, &options), "git_merge_trees")
                    defer { git_index_free(index) }
                    if git_index_has_conflicts(index) != 0 {
                        let conflicts = try Self.resolveConflicts(in: index!, eitherSideWins: eitherSideWins)
                        if !conflicts.isEmpty { return TreeMerge(tree: nil, conflicts: conflicts) }
                    }
                    var oid = git_oid()
                    try check(git_index_write_tree_to(&oid, index, pointer), "git_index_write_tree_to")
                    return TreeMerge(tree: ObjectID(oid), conflicts: [])
                }
            }
        }
    }

    /// Settles the conflicts `eitherSideWins` accepts (both sides added or
    /// changed the file) and returns the paths of the rest.
    private static func resolveConflicts(in index: OpaquePointer, eitherSideWins: (String) -> Bool) throws(GitError) -> [String] {
        var unresolved: [String] = []
        var settled: [(path: String, entry: git_index_entry)] = []
        var iterator: OpaquePointer?
        try check(git_index_conflict_iterator_new(&iterator, index), "git_index_conflict_iterator_new")
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
        git_index_conflict_iterator_free(iterator)
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

    /// Every file path that differs between two trees (nil: the empty tree).
    /// The corresponding libgit2 function is `git_diff_tree_to_tree`.
    public func changedPaths(from old: ObjectID?, to new: ObjectID) throws(GitError) -> [String] {
        try withOptionalTree(old) { oldTree throws(GitError) in
            try withTree(new) { newTree throws(GitError) in
                var diff: OpaquePointer?
                try check(git_diff_tree_to_tree(&diff, pointer, oldTree, newTree, nil), "git_diff_tree_to_tree")
                defer { git_diff_free(diff) }
                var paths: [String] = []
                for index in 0..<git_diff_num_deltas(diff) {
                    guard let delta = git_diff_get_delta(diff, index) else { continue }
                    let file = delta.pointee.new_file.path ?? delta.pointee.old_file.path
                    if let file { paths.append(String(cString: file)) }
                }
                return paths
            }
        }
    }

    private func withOptionalTree<T>(_ id: ObjectID?, _ body: (OpaquePointer?) throws(GitError) -> T) throws(GitError) -> T {
        guard let id else { return try body(nil) }
        return try withTree(id) { tree throws(GitError) in try body(tree) }
    }
}
