internal import CLibGit2
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

    /// Serialises entries in Git's order (a folder sorts as if its name ended in "/").
    private func writeTree(_ entries: [(name: String, mode: UInt32, id: ObjectID)],
                           into mempack: UnsafeMutablePointer<git_odb_backend>) throws(GitError) -> ObjectID {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(entries.count * 64)
        for entry in entries.sorted(by: { Self.precedesInGitOrder($0.name, isTree: $0.mode == GIT_FILEMODE_TREE.rawValue,
                                                                  $1.name, isTree: $1.mode == GIT_FILEMODE_TREE.rawValue) }) {
            bytes += Array(String(entry.mode, radix: 8).utf8) + [UInt8(ascii: " ")] + Array(entry.name.utf8) + [0]
            withUnsafeBytes(of: entry.id.raw.id) { bytes += $0 }
        }
        return try writeBuffered(bytes, type: GIT_OBJECT_TREE, into: mempack)
    }

    /// Git's tree order: bytes compared as if a folder's name ended in "/".
    private static func precedesInGitOrder(_ a: String, isTree aIsTree: Bool, _ b: String, isTree bIsTree: Bool) -> Bool {
        var left = a.utf8.makeIterator(), right = b.utf8.makeIterator()
        var leftTail: UInt8? = aIsTree ? UInt8(ascii: "/") : nil, rightTail: UInt8? = bIsTree ? UInt8(ascii: "/") : nil
        while true {
            var x = left.next(), y = right.next()
            if x == nil { (x, leftTail) = (leftTail, nil) }
            if y == nil { (y, rightTail) = (rightTail, nil) }
            switch (x, y) {
            case (nil, nil): return false
            case (nil, _): return true
            case (_, nil): return false
            case let (x?, y?): if x != y { return x < y }
            }
        }
    }

    private func writeBuffered(_ content: some ContiguousBytes, type: git_object_t,
                               into mempack: UnsafeMutablePointer<git_odb_backend>) throws(GitError) -> ObjectID {
        var oid = git_oid()
        let (hashed, written) = content.withUnsafeBytes { buffer in
            let hashed = git_odb_hash(&oid, buffer.baseAddress, buffer.count, type)
            return (hashed, hashed < 0 ? hashed : parley_backend_write(mempack, &oid, buffer.baseAddress, buffer.count, type))
        }
        try check(hashed, "git_odb_hash")
        try check(written, "git_odb_backend.write")
        return ObjectID(oid)
    }
}
