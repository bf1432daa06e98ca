internal import CLibGit2

/// The type-and-size header of one entry in a pack, and what follows it:
/// a whole object, or a delta against a base given by offset or by id.
struct PackEntryHeader {
    enum Kind {
        case whole(git_object_t)
        case delta(baseOffset: Int)
        case deltaAgainst(ObjectID)
    }

    let kind: Kind
    /// The size of the inflated data (for a delta, of the delta itself).
    let size: Int
    /// Where the zlib stream starts.
    let dataStart: Int

    /// Parses the header at `offset`; nil when it runs past the pack or names no known type.
    init?(_ bytes: UnsafeRawBufferPointer, at offset: Int) {
        var position = offset
        guard position < bytes.count else { return nil }
        var byte = bytes[position]
        position += 1
        let type = Int32((byte >> 4) & 7)
        var size = Int(byte & 0x0f), shift = 4
        while byte & 0x80 != 0 {
            guard position < bytes.count, shift <= 56 else { return nil }
            byte = bytes[position]
            position += 1
            size |= Int(byte & 0x7f) << shift
            shift += 7
        }
        switch type {
        case GIT_OBJECT_COMMIT.rawValue, GIT_OBJECT_TREE.rawValue, GIT_OBJECT_BLOB.rawValue, GIT_OBJECT_TAG.rawValue:
            kind = .whole(git_object_t(rawValue: type))
        case GIT_OBJECT_OFS_DELTA.rawValue:
            // A big-endian number in 7-bit groups, each continuation adding one (so no two spellings mean the same distance).
            guard position < bytes.count else { return nil }
            byte = bytes[position]
            position += 1
            var distance = Int(byte & 0x7f)
            while byte & 0x80 != 0 {
                guard position < bytes.count, distance < 1 << 48 else { return nil }
                byte = bytes[position]
                position += 1
                distance = ((distance + 1) << 7) | Int(byte & 0x7f)
            }
            guard distance > 0, distance <= offset else { return nil }
            kind = .delta(baseOffset: offset - distance)
        case GIT_OBJECT_REF_DELTA.rawValue:
            guard position + 20 <= bytes.count else { return nil }
            var oid = git_oid()
            withUnsafeMutableBytes(of: &oid.id) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[position..<(position + 20)])) }
            position += 20
            kind = .deltaAgainst(ObjectID(oid))
        default:
            return nil
        }
        self.size = size
        dataStart = position
    }
}
