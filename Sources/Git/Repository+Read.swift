internal import CLibGit2
import Foundation

extension Repository {
    /// The id of the tree a commit points at.
    /// The corresponding libgit2 function is `git_commit_tree_id`.
    public func treeID(ofCommit commitID: ObjectID) throws(GitError) -> ObjectID {
        try withCommit(commitID) { commit in ObjectID(git_commit_tree_id(commit).pointee) }
    }

    /// The entry at `path` (slash-separated, relative to the root) in the
    /// tree `treeID`, or nil when nothing is there (or the path is empty).
    /// The folders on the way are read through `serializedTree`: a path read
    /// crosses the same few folders (the root, a bucket) again and again.
    public func entry(atPath path: String, inTree treeID: ObjectID) throws(GitError) -> TreeEntry? {
        var tree = try serializedTree(treeID)
        let names = path.split(separator: "/", omittingEmptySubsequences: false)
        for (depth, name) in names.enumerated() {
            guard let index = tree.index(of: Array(name.utf8)) else { return nil }
            let entry = TreeEntry(tree, tree.entries[index])
            if depth == names.count - 1 { return entry }
            guard entry.kind == .tree else { return nil }
            tree = try serializedTree(entry.id)
        }
        return nil
    }

    /// The entries of the tree `treeID`, in Git's order.
    public func entries(ofTree treeID: ObjectID) throws(GitError) -> [TreeEntry] {
        let tree = try serializedTree(treeID)
        return tree.entries.map { TreeEntry(tree, $0) }
    }

    /// A tree's stored form: from the trees this handle wrote or read lately (`RecentTrees`), else from the pack.
    func serializedTree(_ id: ObjectID) throws(GitError) -> SerializedTree {
        if let known = recentTrees.tree(id) { return known }
        let tree = try SerializedTree(bytes: [UInt8](object(id, of: GIT_OBJECT_TREE)))
        recentTrees.remember(tree, as: id)
        return tree
    }

    /// The bytes of a blob.
    public func blobContent(_ blobID: ObjectID) throws(GitError) -> Data {
        try object(blobID, of: GIT_OBJECT_BLOB)
    }

    /// The bytes of the object `id`, which must be of `type`: from the
    /// packs directly when it is there (`PackedObjects`), else through libgit2.
    /// The corresponding libgit2 function is `git_odb_read`.
    func object(_ id: ObjectID, of type: git_object_t) throws(GitError) -> Data {
        let object: PackedObjects.Object
        if let packed = packedObjects?.read(id) {
            object = packed
        } else {
            object = try withObjectDatabase { odb throws(GitError) in try withObject(id, in: odb) { type, content in (type, Data(content)) } }
        }
        guard object.type == type else {
            throw GitError(code: .notFound, subsystem: .objectDatabase, function: "git_odb_read",
                           message: "\(id.hex) is a \(String(cString: git_object_type2string(object.type))), not a \(String(cString: git_object_type2string(type)))")
        }
        return object.bytes
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
