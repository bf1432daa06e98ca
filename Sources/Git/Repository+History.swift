internal import CLibGit2

extension Repository {
    /// The commit's metadata.
    /// The corresponding libgit2 function is `git_commit_lookup`.
    public func commitInfo(_ commitID: ObjectID) throws(GitError) -> CommitInfo {
        try withCommit(commitID) { commit in Self.info(of: commit, id: commitID) }
    }

    static func info(of commit: OpaquePointer, id: ObjectID) -> CommitInfo {
        CommitInfo(
            id: id,
            parents: (0..<git_commit_parentcount(commit)).map { ObjectID(git_commit_parent_id(commit, $0).pointee) },
            author: Signature(git_commit_author(commit)),
            committer: Signature(git_commit_committer(commit)),
            message: git_commit_message(commit).map { String(cString: $0) } ?? "")
    }

    /// Walks history from `start` newest first, keeping the commits that
    /// changed something under one of `paths` (all commits when `paths` is
    /// empty). A merge is kept only when it differs from every parent, as
    /// `git log -- path` does.
    /// The corresponding libgit2 function is `git_tree_entry_bypath`.
    public func history(from start: ObjectID, touching paths: [String] = [], limit: Int? = nil) throws(GitError) -> [CommitInfo] {
        var found: [CommitInfo] = []
        try walk(from: start, hiding: nil) { commit throws(GitError) -> Bool in
            let info = try commitInfo(commit.id)
            if paths.isEmpty {
                found.append(info)
            } else if try touches(info, paths) {
                found.append(info)
            }
            return limit.map { found.count < $0 } ?? true
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
