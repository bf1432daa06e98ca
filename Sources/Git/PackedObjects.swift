internal import CLibGit2
internal import CZlib
import Foundation

/// Objects read straight from a repository's pack files: every blob and
/// tree Parley reads is looked for here first. It matters most to the
/// readers that go through every file of a mailbox (`parley check`, the
/// first index, an erasure). Through libgit2 each read took a lock shared
/// by every handle in the process (its pack windows), allocated a zlib
/// state and put the object in a cache: at a million messages two threads
/// spent more time waiting on each other and in the allocator than
/// reading. Here each handle has one zlib stream, reset between objects,
/// and a cache of delta bases of its own.
///
/// Only a fast path: an object that is not in a pack this reader knows
/// (loose, buffered in memory, in an alternate) or that it cannot read
/// (a chain it does not expect, a damaged pack) is nil, and the caller
/// asks libgit2, which stays the judge of what is wrong.
final class PackedObjects {
    /// An object's type (`GIT_OBJECT_BLOB`, …) and bytes.
    typealias Object = (type: git_object_t, bytes: Data)

    private let directory: String
    private var packs: [PackFile] = []
    /// The pack folder's modification time at the last scan: a miss scans again only when it changed.
    private var scannedAt: timespec?
    private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    private let streamReady: Bool
    private var bases = DeltaBases()

    /// Objects bigger than this are left to libgit2, which streams them.
    static let largestObject = 256 << 20
    /// Longer delta chains than this are left to libgit2 (git's own packs stop at 50 by default).
    static let longestChain = 10_000

    init(directory: String) {
        self.directory = directory
        stream.initialize(to: z_stream())
        streamReady = parley_inflate_init(stream) == Z_OK
    }

    deinit {
        if streamReady { inflateEnd(stream) }
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// The object `id`, or nil when libgit2 should read it.
    func read(_ id: ObjectID) -> Object? {
        guard streamReady else { return nil }
        if let (pack, offset) = locate(id) { return object(in: pack, at: offset) }
        guard rescanIfChanged(), let (pack, offset) = locate(id) else { return nil }
        return object(in: pack, at: offset)
    }

    private func locate(_ id: ObjectID) -> (PackFile, Int)? {
        for pack in packs {
            if let offset = pack.offset(of: id) { return (pack, offset) }
        }
        return nil
    }

    /// Opens the packs that appeared and lets go of those that left since the last scan; false when nothing changed.
    private func rescanIfChanged() -> Bool {
        var status = stat()
        guard stat(directory, &status) == 0 else { return false }
        if let scannedAt, scannedAt.tv_sec == status.st_mtim.tv_sec, scannedAt.tv_nsec == status.st_mtim.tv_nsec { return false }
        scannedAt = status.st_mtim
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasPrefix("pack-") && $0.hasSuffix(".idx") }.map { String($0.dropLast(4)) }
        let known = Dictionary(packs.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        // The biggest pack first: it holds most of what is read.
        packs = names.compactMap { known[$0] ?? PackFile.shared(directory: directory, name: $0) }.sorted { $0.count > $1.count }
        bases.removeAll()
        return true
    }

    /// The object at `offset`, following its chain of deltas down to a
    /// whole object (or a base read lately) and applying them back up.
    private func object(in pack: PackFile, at offset: Int) -> Object? {
        var chain: [(pack: PackFile, offset: Int, delta: PackEntryHeader)] = []
        var place = (pack: pack, offset: offset)
        var base: Object
        while true {
            // Only bases are remembered, so only a base is looked for.
            if !chain.isEmpty, let cached = bases.object(in: place.pack, at: place.offset) {
                base = cached
                break
            }
            guard let header = PackEntryHeader(place.pack.bytes, at: place.offset), header.size <= Self.largestObject else { return nil }
            switch header.kind {
            case .whole(let type):
                guard let bytes = inflate(place.pack, from: header.dataStart, size: header.size) else { return nil }
                base = (type, bytes)
            case .delta(let baseOffset):
                chain.append((place.pack, place.offset, header))
                place.offset = baseOffset
                guard chain.count <= Self.longestChain else { return nil }
                continue
            case .deltaAgainst(let baseID):
                chain.append((place.pack, place.offset, header))
                guard chain.count <= Self.longestChain, let found = locate(baseID) else { return nil }
                place = (found.0, found.1)
                continue
            }
            if !chain.isEmpty { bases.remember(base, in: place.pack, at: place.offset) }
            break
        }
        for (position, link) in chain.enumerated().reversed() {
            guard let delta = inflate(link.pack, from: link.delta.dataStart, size: link.delta.size),
                  let bytes = DeltaApplication.apply(delta, to: base.bytes, largest: Self.largestObject) else { return nil }
            base = (base.type, bytes)
            if position > 0 { bases.remember(base, in: link.pack, at: link.offset) }
        }
        return base
    }

    /// zlib decodes on its fast path only while at least this much output
    /// room is left (`inflate_fast`'s longest match): a buffer of just the
    /// object's size sent most of a small record, a few hundred bytes,
    /// through the byte-at-a-time path. The room also catches a stream that
    /// gives more than it should.
    private static let fastPathRoom = 258

    /// Inflates the zlib stream at `start`, which must give exactly `size` bytes.
    private func inflate(_ pack: PackFile, from start: Int, size: Int) -> Data? {
        guard inflateReset(stream) == Z_OK, start < pack.bytes.count else { return nil }
        let input = pack.bytes.count - start
        var consumed = 0
        let output = Data.filled(count: size, capacity: size + Self.fastPathRoom) { buffer in
            stream.pointee.next_in = UnsafeMutablePointer(mutating: (pack.bytes.baseAddress! + start).assumingMemoryBound(to: Bytef.self))
            stream.pointee.avail_in = uInt(clamping: input)
            stream.pointee.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = uInt(buffer.count)
            let status = CZlib.inflate(stream, Z_FINISH)
            consumed = Int(stream.pointee.total_in)
            return status == Z_STREAM_END && stream.pointee.total_out == size
        }
        pack.noteRead(consumed)
        return output
    }
}
