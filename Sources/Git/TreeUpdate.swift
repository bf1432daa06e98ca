/// One change to apply to a tree: put a blob at a path, or remove the path.
public struct TreeUpdate: Sendable, Hashable {
    public enum Action: Sendable, Hashable {
        case upsert(blob: ObjectID)
        /// Puts a whole tree at the path (moving a folder between branches).
        case upsertTree(ObjectID)
        case remove
    }

    public let path: String
    public let action: Action

    public init(path: String, action: Action) {
        self.path = path
        self.action = action
    }

    public static func upsert(_ path: String, blob: ObjectID) -> TreeUpdate {
        TreeUpdate(path: path, action: .upsert(blob: blob))
    }

    public static func upsert(_ path: String, tree: ObjectID) -> TreeUpdate {
        TreeUpdate(path: path, action: .upsertTree(tree))
    }

    public static func remove(_ path: String) -> TreeUpdate {
        TreeUpdate(path: path, action: .remove)
    }
}
