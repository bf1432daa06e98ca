/// The delta bases a `PackedObjects` built lately, by pack and offset.
/// Objects of one conversation are deltas against each other, so the next
/// read often starts from a base the last one built. A table of
/// `slots` places, each offset in one place (a newer base takes it over),
/// emptied whenever it holds more than `budget` bytes: a lookup is an
/// index and a comparison, where hashing each link of a 50-deep chain
/// into a dictionary was a twentieth of `parley check`.
struct DeltaBases {
    static let slots = 4096, budget = 32 << 20

    private struct Slot {
        let pack: ObjectIdentifier
        let offset: Int
        let object: PackedObjects.Object
        /// The object's size, kept here so replacing a slot does not read the old object's cold storage.
        let size: Int
    }

    private var table = [Slot?](repeating: nil, count: slots)
    private var bytes = 0

    private static func place(of offset: Int) -> Int { (offset ^ offset >> 12) & (slots - 1) }

    func object(in pack: PackFile, at offset: Int) -> PackedObjects.Object? {
        guard let slot = table[Self.place(of: offset)], slot.offset == offset, slot.pack == ObjectIdentifier(pack) else { return nil }
        return slot.object
    }

    mutating func remember(_ object: PackedObjects.Object, in pack: PackFile, at offset: Int) {
        let size = object.bytes.count
        if bytes + size > Self.budget { removeAll() }
        let place = Self.place(of: offset)
        bytes += size - (table[place]?.size ?? 0)
        table[place] = Slot(pack: ObjectIdentifier(pack), offset: offset, object: object, size: size)
    }

    mutating func removeAll() {
        table = [Slot?](repeating: nil, count: Self.slots)
        bytes = 0
    }
}
