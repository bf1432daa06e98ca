/// The trees a handle wrote or read lately, by id. A path read crosses the
/// same root and bucket folders each time, and the next group commit
/// starts from the folders the last one wrote:
/// reading a folder of a thousand entries back from a pack, through its
/// chain of deltas, cost more than changing it. Ids name content, so an
/// entry is never stale; two generations of at most `generationBytes`
/// each keep what was used recently and bound the memory.
struct RecentTrees {
    static let generationBytes = 16 << 20
    private var current: [ObjectID: SerializedTree] = [:]
    private var previous: [ObjectID: SerializedTree] = [:]
    private var currentBytes = 0

    mutating func tree(_ id: ObjectID) -> SerializedTree? {
        if let tree = current[id] { return tree }
        guard let tree = previous[id] else { return nil }
        remember(tree, as: id)
        return tree
    }

    mutating func remember(_ tree: SerializedTree, as id: ObjectID) {
        guard current.updateValue(tree, forKey: id) == nil else { return }
        currentBytes += tree.bytes.count + tree.entries.count * MemoryLayout<SerializedTree.Entry>.stride
        if currentBytes > Self.generationBytes {
            previous = current
            current = [:]
            currentBytes = 0
        }
    }
}
