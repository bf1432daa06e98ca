internal import CLibGit2
import Crypto
import Foundation

/// While writes are buffered (`bufferObjectWrites`), new blobs and trees go
/// straight into the memory buffer. Through `git_odb_write`, libgit2 first
/// looks every new object up on disk to "freshen" it, and on a miss
/// re-reads the pack directory: for a batch of webhooks that was one
/// directory scan and several failed system calls per object, most of a
/// group commit's cost. An object that happens to exist already is simply
/// written again into the new pack, which Git allows.
extension Repository {
    /// Stores `data` as a blob in the buffer; nil when writes are not buffered.
    func writeBufferedBlob(_ data: Data) throws(GitError) -> ObjectID? {
        guard let mempack else { return nil }
        return try writeBuffered(data, type: GIT_OBJECT_BLOB, into: mempack)
    }

    /// `updatedTree` for buffered writes: the trees on the changed paths are
    /// built here, the way `git_tree_create_updated` builds them (a folder
    /// left empty is dropped), by splicing each folder's stored bytes
    /// (`SerializedTree`); nil when writes are not buffered.
    func updatedBufferedTree(base: ObjectID?, applying updates: [TreeUpdate]) throws(GitError) -> ObjectID? {
        guard let mempack else { return nil }
        let changes = updates.map { (components: $0.path.split(separator: "/").map(String.init)[...], action: $0.action) }
        if let tree = try buildTree(base: base, changes: changes, into: mempack) { return tree }
        return try writeTree(.empty, into: mempack)
    }

    private typealias PathChange = (components: ArraySlice<String>, action: TreeUpdate.Action)

    private func buildTree(base: ObjectID?, changes: [PathChange],
                           into mempack: UnsafeMutablePointer<git_odb_backend>) throws(GitError) -> ObjectID? {
        let tree = try base.map(serializedTree) ?? .empty
        var direct: [String: SerializedTree.Change] = [:]
        var nested: [String: [PathChange]] = [:]
        for change in changes {
            guard let name = change.components.first else { continue }
            if change.components.count > 1 {
                nested[name, default: []].append((change.components.dropFirst(), change.action))
                continue
            }
            let bytes = Array(name.utf8)
            switch change.action {
            case .upsert(let blob): direct[name] = .init(name: bytes, mode: GIT_FILEMODE_BLOB.rawValue, id: blob)
            case .upsertTree(let subtree): direct[name] = .init(name: bytes, mode: GIT_FILEMODE_TREE.rawValue, id: subtree)
            case .remove: direct[name] = .init(name: bytes, mode: 0, id: nil)
            }
        }
        for (name, changes) in nested {
            // The folder as this level's own changes left it, else as the tree holds it.
            let bytes = Array(name.utf8)
            let subtree: ObjectID?
            if let change = direct[name] {
                subtree = change.mode == GIT_FILEMODE_TREE.rawValue ? change.id : nil
            } else if let index = tree.index(of: bytes), tree.entries[index].isTree {
                subtree = tree.id(at: index)
            } else {
                subtree = nil
            }
            direct[name] = .init(name: bytes, mode: GIT_FILEMODE_TREE.rawValue, id: try buildTree(base: subtree, changes: changes, into: mempack))
        }
        let updated = tree.applying(Array(direct.values))
        guard !updated.entries.isEmpty else { return nil }
        return try writeTree(updated, into: mempack)
    }

    private func writeTree(_ tree: SerializedTree, into mempack: UnsafeMutablePointer<git_odb_backend>) throws(GitError) -> ObjectID {
        let id = try writeBuffered(tree.bytes, type: GIT_OBJECT_TREE, into: mempack)
        recentTrees.remember(tree, as: id)
        return id
    }

    /// Hashes `content` as Git names objects (SHA-1 of "TYPE SIZE\0" and
    /// the content) and buffers it. The id is computed here, not by
    /// `git_odb_hash`: libgit2 hashes with collision detection, which
    /// guards what is read from elsewhere, not what we serialise ourselves,
    /// and it was a tenth of a group commit's time at a million messages.
    private func writeBuffered(_ content: some ContiguousBytes, type: git_object_t,
                               into mempack: UnsafeMutablePointer<git_odb_backend>) throws(GitError) -> ObjectID {
        var oid = git_oid()
        let written = content.withUnsafeBytes { buffer in
            var hasher = Insecure.SHA1()
            hasher.update(data: Array((String(cString: git_object_type2string(type)) + " \(buffer.count)").utf8) + [0])
            hasher.update(bufferPointer: buffer)
            withUnsafeMutableBytes(of: &oid.id) { id in hasher.finalize().withUnsafeBytes { id.copyMemory(from: $0) } }
            return parley_backend_write(mempack, &oid, buffer.baseAddress, buffer.count, type)
        }
        try check(written, "git_odb_backend.write")
        return ObjectID(oid)
    }
}
