/// The delta bases a `PackedObjects` built lately, by pack and offset.
/// Objects of one conversation are deltas against each other, so the next
/// read often starts from a base the last one built. Two generations of
/// at most `generationBytes` keep what was used recently and bound the memory.
struct DeltaBases {
    static let generationBytes = 16 << 20

    private struct Key: Hashable {
        let pack: ObjectIdentifier
        let offset: Int
    }

    private var current: [Key: PackedObjects.Object] = [:]
    private var previous: [Key: PackedObjects.Object] = [:]
    private var currentBytes = 0

    mutating func object(in pack: PackFile, at offset: Int) -> PackedObjects.Object? {
        let key = Key(pack: ObjectIdentifier(pack), offset: offset)
        if let object = current[key] { return object }
        guard let object = previous[key] else { return nil }
        remember(object, in: pack, at: offset)
        return object
    }

    mutating func remember(_ object: PackedObjects.Object, in pack: PackFile, at offset: Int) {
        guard current.updateValue(object, forKey: Key(pack: ObjectIdentifier(pack), offset: offset)) == nil else { return }
        currentBytes += object.bytes.count
        if currentBytes > Self.generationBytes {
            previous = current
            current = [:]
            currentBytes = 0
        }
    }

    mutating func removeAll() {
        current = [:]
        previous = [:]
        currentBytes = 0
    }
}
