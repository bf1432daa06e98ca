internal import CLibGit2
internal import CZlib
import Crypto
import Foundation

/// Writes a commit's new objects as one pack and its version-2 index, the
/// way `git index-pack` would find them: each object whole (no delta
/// search) and deflated at zlib's fastest level. libgit2's pack builder
/// searched deltas among a batch's objects and its indexer inflated and
/// hashed every object again: together about half of a group commit's
/// CPU. Pack maintenance later merges these packs with full compression.
struct PackWriter {
    private var pack: [UInt8] = []
    private var entries: [(id: git_oid, crc: UInt32, offset: Int)] = []
    private let level: Int32

    /// `compressed: false` stores each object in zlib's stored blocks,
    /// which every reader inflates as usual: for a commit's own pack,
    /// which pack maintenance compresses when it merges. A group commit at
    /// a million messages writes dozens of folders of a thousand entries,
    /// mostly object ids that do not compress, and deflating them was a
    /// fifth of its CPU. Packs that go to another repository are deflated.
    init(count: Int, compressed: Bool = true) {
        pack = Array("PACK".utf8) + Self.bigEndian(UInt32(2)) + Self.bigEndian(UInt32(count))
        level = compressed ? Z_BEST_SPEED : Z_NO_COMPRESSION
    }

    /// Appends one object: its type and size header, then its deflated content.
    mutating func append(id: git_oid, type: git_object_t, content: UnsafeRawBufferPointer) throws(GitError) {
        let offset = pack.count
        var header: [UInt8] = []
        var size = content.count
        var byte = UInt8(truncatingIfNeeded: (Int(type.rawValue) << 4) | (size & 0x0f))
        size >>= 4
        while size > 0 {
            header.append(byte | 0x80)
            byte = UInt8(truncatingIfNeeded: size & 0x7f)
            size >>= 7
        }
        header.append(byte)
        var compressed = [UInt8](repeating: 0, count: Int(compressBound(uLong(content.count))))
        var length = uLong(compressed.count)
        let status = compressed.withUnsafeMutableBufferPointer { out in
            compress2(out.baseAddress, &length, content.bindMemory(to: Bytef.self).baseAddress, uLong(content.count), level)
        }
        guard status == Z_OK else { throw GitError(code: .generic, function: "compress2", message: "zlib could not deflate an object (\(status))") }
        let packed = header + compressed.prefix(Int(length))
        let crc = packed.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, uInt($0.count))) }
        pack += packed
        entries.append((id, crc, offset))
    }

    /// The pack as it goes over the wire: its bytes and their SHA-1.
    var wireBytes: [UInt8] { pack + Array(Insecure.SHA1.hash(data: pack)) }

    /// Writes `pack-HASH.pack` and `.idx` into `directory` (fsynced when
    /// `durable`) and returns the pack's file name.
    func write(to directory: String, durable: Bool) throws(GitError) -> String {
        var pack = self.pack
        let packHash = Array(Insecure.SHA1.hash(data: pack))
        pack += packHash
        let name = "pack-" + packHash.map { String(format: "%02x", $0) }.joined()
        try Self.writeFile(directory + "/" + name + ".pack", pack, durable: durable)
        try Self.writeFile(directory + "/" + name + ".idx", index(packHash: packHash), durable: durable)
        if durable { Self.syncDirectory(directory) }
        return name + ".pack"
    }

    /// The version-2 index: fan-out table, sorted ids, CRCs, offsets, the pack's hash and its own.
    private func index(packHash: [UInt8]) -> [UInt8] {
        let sorted = entries.sorted { first, second in
            withUnsafeBytes(of: first.id.id) { a in withUnsafeBytes(of: second.id.id) { b in a.lexicographicallyPrecedes(b) } }
        }
        var index: [UInt8] = [0xff, 0x74, 0x4f, 0x63] + Self.bigEndian(UInt32(2))
        var fanout = [UInt32](repeating: 0, count: 256)
        for entry in sorted { fanout[Int(entry.id.id.0)] += 1 }
        var running: UInt32 = 0
        for slot in 0..<256 {
            running += fanout[slot]
            index += Self.bigEndian(running)
        }
        for entry in sorted { withUnsafeBytes(of: entry.id.id) { index += $0 } }
        for entry in sorted { index += Self.bigEndian(entry.crc) }
        var large: [UInt64] = []
        for entry in sorted {
            if entry.offset < 0x8000_0000 {
                index += Self.bigEndian(UInt32(entry.offset))
            } else {
                index += Self.bigEndian(0x8000_0000 | UInt32(large.count))
                large.append(UInt64(entry.offset))
            }
        }
        for offset in large { index += Self.bigEndian(UInt32(offset >> 32)) + Self.bigEndian(UInt32(truncatingIfNeeded: offset)) }
        index += packHash
        return index + Array(Insecure.SHA1.hash(data: index))
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)]
    }

    /// Writes under a temporary name and renames, so a reader never sees half a file.
    private static func writeFile(_ path: String, _ bytes: [UInt8], durable: Bool) throws(GitError) {
        let temporary = path + ".tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o444)
        guard descriptor >= 0 else { throw GitError(code: .generic, function: "open", message: "cannot create \(temporary): errno \(errno)") }
        let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        let synced = durable ? fsync(descriptor) : 0
        close(descriptor)
        guard written == bytes.count, synced == 0, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw GitError(code: .generic, function: "write", message: "cannot write \(path): errno \(errno)")
        }
    }

    private static func syncDirectory(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }
}
