internal import CLibGit2
import Foundation

extension Repository {
    /// Builds a new tree from `base` (nil: the empty tree) with `updates`
    /// applied, in memory: only the trees on the changed paths are rewritten,
    /// which the libgit2 header calls "much more efficient than reading the
    /// tree into a git_index".
    /// The corresponding libgit2 function is `git_tree_create_updated`.
    public func updatedTree(base: ObjectID?, applying updates: [TreeUpdate]) throws(GitError) -> ObjectID {
        if let buffered = try updatedBufferedTree(base: base, applying: updates) { return buffered }
        return try updatedTreeByLibgit2(base: base, applying: updates)
    }

    /// `updatedTree` written by libgit2's tree writer even when writes are
    /// buffered (the objects still go to the buffer): a history rewrite
    /// must write, byte for byte, the tree every other clone writes.
    public func updatedTreeByLibgit2(base: ObjectID?, applying updates: [TreeUpdate]) throws(GitError) -> ObjectID {
        guard let base else { return try applying(updates, to: nil) }
        return try withTree(base) { baseline throws(GitError) in try applying(updates, to: baseline) }
    }

    private func applying(_ updates: [TreeUpdate], to baseline: OpaquePointer?) throws(GitError) -> ObjectID {
        let paths = updates.map { strdup($0.path)! }
        defer { paths.forEach { free($0) } }
        var raw = zip(updates, paths).map { update, path in
            var item = git_tree_update()
            item.path = UnsafePointer(path)
            switch update.action {
            case .upsert(let blob):
                item.action = GIT_TREE_UPDATE_UPSERT
                item.id = blob.raw
                item.filemode = GIT_FILEMODE_BLOB
            case .upsertTree(let tree):
                item.action = GIT_TREE_UPDATE_UPSERT
                item.id = tree.raw
                item.filemode = GIT_FILEMODE_TREE
            case .remove:
                item.action = GIT_TREE_UPDATE_REMOVE
            }
            return item
        }
        var oid = git_oid()
        try check(git_tree_create_updated(&oid, pointer, baseline, raw.count, &raw), "git_tree_create_updated")
        return ObjectID(oid)
    }

    /// Writes a commit and, when `reference` is given, moves that reference
    /// to it as a compare-and-swap: if the reference no longer points at
    /// `parents.first`, nothing moves and the error code is `.modified`, so
    /// the caller can rebuild on the new tip.
    /// The corresponding libgit2 function is `git_commit_create`.
    public func createCommit(
        tree treeID: ObjectID,
        parents: [ObjectID],
        author: Signature,
        committer: Signature,
        message: String,
        encoding: String? = "UTF-8",
        updatingReference reference: String?,
        sign: ((Data) throws -> String)? = nil
    ) throws(GitError) -> ObjectID {
        try withTree(treeID) { tree throws(GitError) in
            var parentCommits: [OpaquePointer?] = []
            defer { parentCommits.forEach { git_commit_free($0) } }
            for parent in parents {
                var oid = parent.raw
                var commit: OpaquePointer?
                try check(git_commit_lookup(&commit, pointer, &oid), "git_commit_lookup")
                parentCommits.append(commit)
            }
            return try author.withRaw { authorRaw throws(GitError) in
                try committer.withRaw { committerRaw throws(GitError) in
                    var oid = git_oid()
                    if let sign {
                        // A signed commit: its text is built, signed, and written with the signature as `gpgsig`.
                        var buffer = git_buf()
                        defer { git_buf_dispose(&buffer) }
                        let built = parentCommits.withUnsafeMutableBufferPointer { parents in
                            git_commit_create_buffer(&buffer, pointer, authorRaw, committerRaw, encoding, message, tree, parents.count,
                                                     parents.baseAddress)
                        }
                        try check(built, "git_commit_create_buffer")
                        let content = String(cString: buffer.ptr)
                        let signature: String
                        do { signature = try sign(Data(content.utf8)) } catch {
                            throw GitError(code: .invalid, function: "sign", message: "\(error)")
                        }
                        try check(git_commit_create_with_signature(&oid, pointer, content, signature, "gpgsig"), "git_commit_create_with_signature")
                        return ObjectID(oid)
                    }
                    let result = parentCommits.withUnsafeMutableBufferPointer { buffer in
                        git_commit_create(
                            &oid, pointer, reference, authorRaw, committerRaw, encoding, message, tree,
                            buffer.count, buffer.baseAddress)
                    }
                    try check(result, "git_commit_create")
                    return ObjectID(oid)
                }
            }
        }
    }

    /// Moves a reference to `target` only if it still points at `expected`
    /// (nil: only if it does not exist yet).
    /// The corresponding libgit2 function is `git_reference_create_matching`.
    public func updateReference(_ name: String, to target: ObjectID, expecting expected: ObjectID?, logMessage: String) throws(GitError) {
        var ref: OpaquePointer?
        defer { git_reference_free(ref) }
        var targetRaw = target.raw
        let result: Int32
        if var expectedRaw = expected?.raw {
            result = git_reference_create_matching(&ref, pointer, name, &targetRaw, 1, &expectedRaw, logMessage)
        } else {
            result = git_reference_create(&ref, pointer, name, &targetRaw, 0, logMessage)
        }
        if result == GIT_EEXISTS.rawValue {
            throw GitError(code: .modified, function: "git_reference_create", message: "\(name) was created meanwhile")
        }
        try check(result, "git_reference_create_matching")
    }

    /// The id of the commit a reference points at, nil when it does not exist.
    /// The corresponding libgit2 function is `git_reference_name_to_id`.
    public func referenceTarget(_ name: String) throws(GitError) -> ObjectID? {
        var oid = git_oid()
        let result = git_reference_name_to_id(&oid, pointer, name)
        if result == GIT_ENOTFOUND.rawValue { return nil }
        try check(result, "git_reference_name_to_id")
        return ObjectID(oid)
    }

    /// The signature of a commit and the text it signs, nil for an unsigned commit.
    /// The corresponding libgit2 function is `git_commit_extract_signature`.
    public func commitSignature(_ id: ObjectID) throws(GitError) -> (signature: String, signedData: Data)? {
        var signature = git_buf(), signed = git_buf()
        defer {
            git_buf_dispose(&signature)
            git_buf_dispose(&signed)
        }
        var oid = id.raw
        let result = git_commit_extract_signature(&signature, &signed, pointer, &oid, nil)
        if result == GIT_ENOTFOUND.rawValue { return nil }
        try check(result, "git_commit_extract_signature")
        return (String(cString: signature.ptr), Data(bytes: signed.ptr, count: signed.size))
    }
}
