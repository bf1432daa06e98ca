internal import CLibGit2

/// One entry of a tree, copied out of the tree's stored bytes (`SerializedTree`).
public struct TreeEntry: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case blob, tree, other
    }

    public let name: String
    public let id: ObjectID
    public let kind: Kind
    public let fileMode: UInt32

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
