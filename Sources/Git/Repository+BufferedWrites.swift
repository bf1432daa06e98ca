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
    /// left empty is dropped); nil when writes are not buffered.
    func updatedBufferedTree(base: ObjectID?, applying updates: [TreeUpdate]) throws(GitError) -> ObjectID? {
        guard let mempack else { return nil }
        let changes = updates.map { (components: $0.path.split(separator: "/").map(String.init)[...], action: $0.action) }
        if let tree = try buildTree(base: base, changes: changes, into: mempack) { return tree }
        return try writeTree([], into: mempack)
    }

    private typealias PathChange = (components: ArraySlice<String>, action: TreeUpdate.Action)

    private func buildTree(base: ObjectID?, changes: [PathChange],
                           into mempack: UnsafeMutablePointer<git_odb_backend>) throws(GitError) -> ObjectID? {
        var entries: [String: (mode: UInt32, id: ObjectID)] = [:]
        if let base { for entry in try self.entries(ofTree: base) { entries[entry.name] = (entry.fileMode, entry.id) } }
        var nested: [String: [PathChange]] = [:]
        for change in changes {
            guard let name = change.components.first else { continue }
            if change.components.count > 1 {
                nested[name, default: []].append((change.components.dropFirst(), change.action))
                continue
            }
            switch change.action {
            case .upsert(let blob): entries[name] = (GIT_FILEMODE_BLOB.rawValue, blob)
            case .upsertTree(let tree): entries[name] = (GIT_FILEMODE_TREE.rawValue, tree)
            case .remove: entries[name] = nil
            }
        }
        for (name, changes) in nested {
            let subtree = entries[name].flatMap { $0.mode == GIT_FILEMODE_TREE.rawValue ? $0.id : nil }
            entries[name] = try buildTree(base: subtree, changes: changes, into: mempack).map { (GIT_FILEMODE_TREE.rawValue, $0) }
        }
        guard !entries.isEmpty else { return nil }
        return try writeTree(entries.map { ($0.key, $0.value.mode, $0.value.id) }, into: mempack)
    }

    /// Serialises entries in Git's order: by name bytes, a folder's name
    /// compared as if it ended in "/". Each entry's sort key is built once
    /// and compared with `memcmp`: a group commit at a million messages
    /// writes dozens of folders of a thousand entries, and comparing names
    /// through string iterators was a fifth of its time.
    private func writeTree(_ entries: [(name: String, mode: UInt32, id: ObjectID)],
                           into mempack: UnsafeMutablePointer<git_odb_backend>) throws(GitError) -> ObjectID {
        let keyed = entries.map { entry in
            (key: Array(entry.name.utf8) + (entry.mode == GIT_FILEMODE_TREE.rawValue ? [UInt8(ascii: "/")] : []), entry: entry)
        }.sorted { Self.precedes($0.key, $1.key) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(entries.count * 64)
        for (_, entry) in keyed {
            switch entry.mode {
            case GIT_FILEMODE_TREE.rawValue: bytes.append(contentsOf: Self.treeMode)
            case GIT_FILEMODE_BLOB.rawValue: bytes.append(contentsOf: Self.blobMode)
            default: bytes.append(contentsOf: String(entry.mode, radix: 8).utf8)
            }
            bytes.append(UInt8(ascii: " "))
            bytes.append(contentsOf: entry.name.utf8)
            bytes.append(0)
            withUnsafeBytes(of: entry.id.raw.id) { bytes += $0 }
        }
        return try writeBuffered(bytes, type: GIT_OBJECT_TREE, into: mempack)
    }

    private static let treeMode = Array("40000".utf8), blobMode = Array("100644".utf8)

    /// Byte order, a prefix first.
    private static func precedes(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        let order = a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in min(a.count, b.count) == 0 ? 0 : memcmp(a.baseAddress!, b.baseAddress!, min(a.count, b.count)) }
        }
        return order != 0 ? order < 0 : a.count < b.count
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
