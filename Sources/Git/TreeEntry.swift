internal import CLibGit2

/// One entry of a tree, copied out of libgit2.
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
}
