internal import CLibGit2
import Foundation

extension Repository {
    /// The id of the tree a commit points at.
    /// The corresponding libgit2 function is `git_commit_tree_id`.
    public func treeID(ofCommit commitID: ObjectID) throws(GitError) -> ObjectID {
        try withCommit(commitID) { commit in ObjectID(git_commit_tree_id(commit).pointee) }
    }

    /// The entry at `path` (slash-separated, relative to the root) in the
    /// tree `treeID`, or nil when nothing is there. An empty path is the root.
    /// The corresponding libgit2 function is `git_tree_entry_bypath`.
    public func entry(atPath path: String, inTree treeID: ObjectID) throws(GitError) -> TreeEntry? {
        try withTree(treeID) { tree throws(GitError) in
            try withHandleIfFound("git_tree_entry_bypath", create: { git_tree_entry_bypath(&$0, tree, path) }, free: git_tree_entry_free) { entry in
                TreeEntry(entry)
            }
        }
    }

    /// The entries of the tree `treeID`, in Git's order.
    /// The corresponding libgit2 function is `git_tree_entry_byindex`.
    public func entries(ofTree treeID: ObjectID) throws(GitError) -> [TreeEntry] {
        try withTree(treeID) { tree in
            let count = git_tree_entrycount(tree)
            var entries: [TreeEntry] = []
            entries.reserveCapacity(count)
            for index in 0..<count {
                entries.append(TreeEntry(git_tree_entry_byindex(tree, index)))
            }
            return entries
        }
    }

    /// The bytes of a blob.
    /// The corresponding libgit2 function is `git_blob_rawcontent`.
    public func blobContent(_ blobID: ObjectID) throws(GitError) -> Data {
        var oid = blobID.raw
        return try withHandle("git_blob_lookup", create: { git_blob_lookup(&$0, pointer, &oid) }, free: git_blob_free) { blob in
            let size = Int(git_blob_rawsize(blob))
            guard size > 0, let bytes = git_blob_rawcontent(blob) else { return Data() }
            return Data(bytes: bytes, count: size)
        }
    }

    /// Stores `data` as a blob and returns its id (a no-op when it exists).
    /// The corresponding libgit2 function is `git_blob_create_from_buffer`.
    public func writeBlob(_ data: Data) throws(GitError) -> ObjectID {
        if let buffered = try writeBufferedBlob(data) { return buffered }
        var oid = git_oid()
        let result = data.withUnsafeBytes { buffer in
            git_blob_create_from_buffer(&oid, pointer, buffer.baseAddress, buffer.count)
        }
        try check(result, "git_blob_create_from_buffer")
        return ObjectID(oid)
    }

    /// The id `data` would have as a blob, without storing it.
    /// The corresponding libgit2 function is `git_odb_hash`.
    public static func blobID(of data: Data) throws(GitError) -> ObjectID {
        LibGit2.ensureInitialized()
        var oid = git_oid()
        let result = data.withUnsafeBytes { buffer in
            git_odb_hash(&oid, buffer.baseAddress, buffer.count, GIT_OBJECT_BLOB)
        }
        try check(result, "git_odb_hash")
        return ObjectID(oid)
    }

    func withTree<T>(_ treeID: ObjectID, _ body: (OpaquePointer) throws(GitError) -> T) throws(GitError) -> T {
        var oid = treeID.raw
        return try withHandle("git_tree_lookup", create: { git_tree_lookup(&$0, pointer, &oid) }, free: git_tree_free, body)
    }

    func withCommit<T>(_ commitID: ObjectID, _ body: (OpaquePointer) throws(GitError) -> T) throws(GitError) -> T {
        var oid = commitID.raw
        return try withHandle("git_commit_lookup", create: { git_commit_lookup(&$0, pointer, &oid) }, free: git_commit_free, body)
    }
}
