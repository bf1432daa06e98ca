import CLibGit2

extension Repository {
    /// The commit's metadata.
    /// The corresponding libgit2 function is `git_commit_lookup`.
    public func commitInfo(_ commitID: ObjectID) throws(GitError) -> CommitInfo {
        try withCommit(commitID) { commit in
            let parents = (0..<git_commit_parentcount(commit)).map { ObjectID(git_commit_parent_id(commit, $0).pointee) }
            return CommitInfo(
                id: commitID,
                parents: parents,
                author: Signature(git_commit_author(commit)),
                committer: Signature(git_commit_committer(commit)),
                message: git_commit_message(commit).map { String(cString: $0) } ?? "")
        }
    }

    /// Walks history from `start` newest first, keeping the commits that
    /// changed something under one of `paths` (all commits when `paths` is
    /// empty). A merge is kept only when it differs from every parent, as
    /// `git log -- path` does.
    /// The corresponding libgit2 functions are `git_revwalk_next` and `git_tree_entry_bypath`.
    public func history(from start: ObjectID, touching paths: [String] = [], limit: Int? = nil) throws(GitError) -> [CommitInfo] {
        var walk: OpaquePointer?
        try check(git_revwalk_new(&walk, pointer), "git_revwalk_new")
        defer { git_revwalk_free(walk) }
        // libgit2's default order is git's (newest first by commit date,
        // a child before its parent) and comes as the walk goes; asking
        // for any sorting makes libgit2 walk the whole history before the
        // first commit: seconds on a year of mailbox history, even for `--limit 20`.
        try check(git_revwalk_sorting(walk, GIT_SORT_NONE.rawValue), "git_revwalk_sorting")
        var startRaw = start.raw
        try check(git_revwalk_push(walk, &startRaw), "git_revwalk_push")

        var found: [CommitInfo] = []
        var oid = git_oid()
        while true {
            let result = git_revwalk_next(&oid, walk)
            if result == GIT_ITEROVER.rawValue { break }
            try check(result, "git_revwalk_next")
            let info = try commitInfo(ObjectID(oid))
            let matches = try paths.isEmpty ? true : touches(info, paths)
            if matches {
                found.append(info)
                if let limit, found.count >= limit { break }
            }
        }
        return found
    }

    private func touches(_ commit: CommitInfo, _ paths: [String]) throws(GitError) -> Bool {
        let tree = try treeID(ofCommit: commit.id)
        let parentTrees = try commit.parents.map { parent throws(GitError) in try treeID(ofCommit: parent) }
        for path in paths {
            let here = try entry(atPath: path, inTree: tree)?.id
            if parentTrees.isEmpty {
                if here != nil { return true }
                continue
            }
            var differsFromAll = true
            for parentTree in parentTrees {
                if try entry(atPath: path, inTree: parentTree)?.id == here {
                    differsFromAll = false
                    break
                }
            }
            if differsFromAll { return true }
        }
        return false
    }
}
