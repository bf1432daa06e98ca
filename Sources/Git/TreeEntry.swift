internal import CLibGit2

/// One entry of a tree, copied out of libgit2 or out of a tree's stored bytes.
public struct TreeEntry: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case blob, tree, other
    }

    public let name: String
    public let id: ObjectID
    public let kind: Kind
    public let fileMode: UInt32

    init(_ entry: OpaquePointer) {
        name = String(cString: git_tree_entry_name(entry))
        id = ObjectID(git_tree_entry_id(entry).pointee)
        switch git_tree_entry_type(entry) {
        case GIT_OBJECT_BLOB: kind = .blob
        case GIT_OBJECT_TREE: kind = .tree
        default: kind = .other
        }
        fileMode = git_tree_entry_filemode(entry).rawValue
    }

    /// The `entry` of a tree read as Git stores it. The kind follows the
    /// mode as libgit2 has it: a folder, a submodule's commit, else a blob.
    init(_ tree: SerializedTree, _ entry: SerializedTree.Entry) {
        name = String(decoding: tree.bytes[entry.name], as: UTF8.self)
        id = tree.id(after: entry)
        fileMode = tree.bytes[entry.start..<(entry.name.lowerBound - 1)].reduce(0) { $0 << 3 | UInt32($1 &- UInt8(ascii: "0")) & 7 }
        switch fileMode {
        case GIT_FILEMODE_TREE.rawValue: kind = .tree
        case GIT_FILEMODE_COMMIT.rawValue: kind = .other
        default: kind = .blob
        }
    }
}
