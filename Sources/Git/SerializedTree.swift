internal import CLibGit2
import Foundation

/// A tree object in the bytes Git stores ("MODE NAME\0" and a 20-byte id
/// per entry, in Git's order), changed by splicing those bytes. A group
/// commit at a million messages rewrites dozens of folders of a thousand
/// conversations to change one or two entries in each: reading every entry
/// into a dictionary and sorting them all again cost far more than the
/// change itself. Kept entries are copied as they are; only the changed
/// ones are placed, by Git's order.
struct SerializedTree {
    /// One entry: where its bytes start, where its name lies, and whether it is a folder.
    struct Entry {
        let start: Int
        let name: Range<Int>
        let isTree: Bool
        var end: Int { name.upperBound + 1 + idLength }
    }

    /// A new entry, or a removal when `id` is nil.
    struct Change {
        let name: [UInt8]
        let mode: UInt32
        let id: ObjectID?
    }

    static let idLength = 20
    let bytes: [UInt8]
    let entries: [Entry]

    static let empty = SerializedTree(validBytes: [], entries: [])

    private init(validBytes: [UInt8], entries: [Entry]) {
        bytes = validBytes
        self.entries = entries
    }

    /// Parses `bytes`; a truncated or malformed tree is an error, never a trap.
    init(bytes: [UInt8]) throws(GitError) {
        var entries: [Entry] = []
        entries.reserveCapacity(bytes.count / 40)
        var position = 0
        while position < bytes.count {
            let start = position
            guard let space = bytes[position...].firstIndex(of: UInt8(ascii: " ")), space > start,
                  let nul = bytes[(space + 1)...].firstIndex(of: 0), nul > space + 1,
                  nul + Self.idLength < bytes.count else {
                throw GitError(code: .invalid, subsystem: .objectDatabase, function: "SerializedTree",
                               message: "a tree entry at byte \(start) is malformed")
            }
            let isTree = space - start == Self.treeMode.count && bytes[start..<space].elementsEqual(Self.treeMode)
            entries.append(Entry(start: start, name: (space + 1)..<nul, isTree: isTree))
            position = nul + 1 + Self.idLength
        }
        self.bytes = bytes
        self.entries = entries
    }

    static let treeMode = Array("40000".utf8), blobMode = Array("100644".utf8)

    /// The index of the entry called `name`, whatever its kind.
    func index(of name: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { all in
            name.withUnsafeBufferPointer { wanted in
                entries.firstIndex { entry in
                    entry.name.count == wanted.count
                        && (wanted.isEmpty || memcmp(all.baseAddress! + entry.name.lowerBound, wanted.baseAddress!, wanted.count) == 0)
                }
            }
        }
    }

    func id(at index: Int) -> ObjectID { id(after: entries[index]) }

    /// The id stored after `entry`'s name.
    func id(after entry: Entry) -> ObjectID {
        var oid = git_oid()
        let start = entry.name.upperBound + 1
        withUnsafeMutableBytes(of: &oid.id) { id in bytes.withUnsafeBytes { id.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[start..<(start
            + Self.idLength)])) } }
        return ObjectID(oid)
    }

    /// The tree with `changes` applied (each name at most once):
    /// the named entries are dropped, the ones with an id put back in
    /// Git's order, a folder's name compared as if it ended in "/".
    func applying(_ changes: [Change]) -> SerializedTree {
        var dropped = Set<Int>()
        for change in changes { if let index = index(of: change.name) { dropped.insert(index) } }
        let added = changes.compactMap { change in change.id.map { (key: Self.sortKey(change.name, isTree: change.mode == Self.treeModeValue),
                                                                      change: change, id: $0) } }
            .sorted { Self.precedes($0.key, $1.key) }
        var result: [UInt8] = [], placed: [Entry] = []
        result.reserveCapacity(bytes.count + added.count * 64)
        placed.reserveCapacity(entries.count + added.count)
        var next = 0
        for (index, entry) in entries.enumerated() where !dropped.contains(index) {
            while next < added.count, precedes(added[next].key, entry) {
                placed.append(Self.append(added[next].change, id: added[next].id, to: &result))
                next += 1
            }
            // A kept entry is copied as it is; its place moves by the bytes added or dropped before it.
            let shift = result.count - entry.start
            placed.append(Entry(start: result.count, name: (entry.name.lowerBound + shift)..<(entry.name.upperBound + shift), isTree: entry.isTree))
            result.append(contentsOf: bytes[entry.start..<entry.end])
        }
        for (_, change, id) in added[next...] { placed.append(Self.append(change, id: id, to: &result)) }
        return SerializedTree(validBytes: result, entries: placed)
    }

    /// Whether `key` comes before `entry` in Git's order, compared in place.
    private func precedes(_ key: [UInt8], _ entry: Entry) -> Bool {
        let name = entry.name
        let shared = min(key.count, name.count)
        let order = shared == 0 ? 0 : key.withUnsafeBufferPointer { key in
            bytes.withUnsafeBufferPointer { memcmp(key.baseAddress!, $0.baseAddress! + name.lowerBound, shared) }
        }
        if order != 0 { return order < 0 }
        if key.count <= name.count { return key.count < name.count || entry.isTree }
        // The key is longer: past the name, a folder's entry continues with "/".
        guard entry.isTree else { return false }
        return key[shared] < UInt8(ascii: "/")
    }

    static let treeModeValue = GIT_FILEMODE_TREE.rawValue

    /// Appends a new entry's bytes and returns where they lie.
    private static func append(_ change: Change, id: ObjectID, to result: inout [UInt8]) -> Entry {
        let start = result.count
        switch change.mode {
        case GIT_FILEMODE_TREE.rawValue: result.append(contentsOf: treeMode)
        case GIT_FILEMODE_BLOB.rawValue: result.append(contentsOf: blobMode)
        default: result.append(contentsOf: String(change.mode, radix: 8).utf8)
        }
        result.append(UInt8(ascii: " "))
        let name = result.count..<(result.count + change.name.count)
        result.append(contentsOf: change.name)
        result.append(0)
        withUnsafeBytes(of: id.raw.id) { result += $0 }
        return Entry(start: start, name: name, isTree: change.mode == treeModeValue)
    }

    private static func sortKey(_ name: [UInt8], isTree: Bool) -> [UInt8] {
        isTree ? name + [UInt8(ascii: "/")] : name
    }

    /// Byte order, a prefix first.
    private static func precedes(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        let order = a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in min(a.count, b.count) == 0 ? 0 : memcmp(a.baseAddress!, b.baseAddress!, min(a.count, b.count)) }
        }
        return order != 0 ? order < 0 : a.count < b.count
    }
}
