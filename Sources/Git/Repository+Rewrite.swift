internal import CLibGit2
import Foundation

extension Repository {
    /// Writes the history of `tip` again with every commit's tree passed
    /// through `tree` and its message through `message`, keeping authors,
    /// committers, times and message encodings, oldest first; returns the
    /// new tip and how many commits changed. A commit whose tree, message
    /// and parents come out the same keeps its id, and the result depends
    /// only on the inputs, so two clones rewriting the same commits the
    /// same way get the same ids (what lets an erasure travel between clones).
    /// With writes buffered (`bufferObjectWrites`), the new objects reach
    /// the disk as one pack per `commitsPerPack` rewritten commits, so a
    /// rewrite of a long history is neither a file per object nor all of
    /// it in memory; all of them are on disk when this returns.
    /// The corresponding libgit2 functions are `git_revwalk_sorting` and `git_commit_create`.
    public func rewriteHistory(from tip: ObjectID, tree transformTree: (ObjectID) throws(GitError) -> ObjectID,
                               message transformMessage: (String) -> String,
                               commitsPerPack: Int = 10_000) throws(GitError) -> (tip: ObjectID, rewritten: Int) {
        var order: [ObjectID] = []
        try withHandle("git_revwalk_new", create: { git_revwalk_new(&$0, pointer) }, free: git_revwalk_free) { walk throws(GitError) in
            try check(git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_REVERSE.rawValue), "git_revwalk_sorting")
            var start = tip.raw
            try check(git_revwalk_push(walk, &start), "git_revwalk_push")
            var oid = git_oid()
            while true {
                let result = git_revwalk_next(&oid, walk)
                if result == GIT_ITEROVER.rawValue { break }
                try check(result, "git_revwalk_next")
                order.append(ObjectID(oid))
            }
        }
        var replaced: [ObjectID: ObjectID] = [:]
        var rewritten = 0
        // The commits written since the last pack, with their parents; the last pack's newest commits, where the next one's walk stops.
        var unpacked: [(commit: ObjectID, parents: [ObjectID])] = [], packedTips: [ObjectID] = []
        func pack() throws(GitError) {
            guard mempack != nil, !unpacked.isEmpty else { return }
            let parents = Set(unpacked.flatMap(\.parents))
            let tips = unpacked.map(\.commit).filter { !parents.contains($0) }
            try flushBufferedObjects(reachableFrom: tips, excluding: [tip] + packedTips)
            (packedTips, unpacked) = (tips, [])
        }
        for commitID in order {
            let (info, tree, encoding) = try withCommit(commitID) { commit in
                (Self.info(of: commit, id: commitID), ObjectID(git_commit_tree_id(commit).pointee),
                 git_commit_message_encoding(commit).map { String(cString: $0) })
            }
            let parents = info.parents.map { replaced[$0] ?? $0 }
            let newTree = try transformTree(tree)
            let newMessage = transformMessage(info.message)
            guard newTree != tree || newMessage != info.message || parents != info.parents else { continue }
            let newCommit = try createCommit(tree: newTree, parents: parents, author: info.author, committer: info.committer,
                                             message: newMessage, encoding: encoding, updatingReference: nil)
            replaced[commitID] = newCommit
            rewritten += 1
            unpacked.append((newCommit, parents))
            if unpacked.count >= commitsPerPack { try pack() }
        }
        try pack()
        return (replaced[tip] ?? tip, rewritten)
    }
}
