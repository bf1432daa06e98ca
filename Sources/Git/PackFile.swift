internal import CLibGit2
import Foundation
import Synchronization

/// One pack and its version-2 index, mapped read-only, for `PackedObjects`.
/// Nothing in it changes once it is open, so the handles of several
/// threads share one mapping (`shared`): a mapping of its own for each
/// would count the pages they both touch twice.
///
/// Every page read stays resident while it is mapped, and each read of a
/// small object maps the 64 KiB around it (the kernel's fault-around), so
/// a reader of the whole mailbox would soon hold all of a 2.3 GB pack.
/// Every `releaseEvery` bytes so mapped, the pack's pages are given back
/// (`MADV_DONTNEED`: they stay in the page cache, and the next read maps
/// them again), as libgit2 unmaps its pack windows. The index stays
/// mapped whole, as libgit2 keeps it.
final class PackFile: @unchecked Sendable {
    /// The pack's name, `pack-HASH`.
    let name: String
    /// The number of objects in it.
    let count: Int
    private let index: UnsafeRawBufferPointer
    /// The pack's bytes up to (not including) its trailing checksum.
    let bytes: UnsafeRawBufferPointer
    private let mappedPack: UnsafeRawBufferPointer
    private let readSinceRelease = Atomic<Int>(0)
    static let releaseEvery = 256 << 20, faultAround = 64 << 10

    private static let headerLength = 8, fanoutLength = 256 * 4, idLength = 20, trailerLength = 40
    private static let idsStart = headerLength + fanoutLength

    /// Opens `directory/name.idx` and `.pack`; nil when either is missing,
    /// not a version-2 index, or the two disagree (libgit2 reads such a pack).
    private init?(directory: String, name: String) {
        guard let index = Self.map(directory + "/" + name + ".idx") else { return nil }
        guard let pack = Self.map(directory + "/" + name + ".pack") else {
            Self.unmap(index)
            return nil
        }
        guard let count = Self.validatedCount(index: index, pack: pack) else {
            Self.unmap(index)
            Self.unmap(pack)
            return nil
        }
        self.name = name
        self.count = count
        self.index = index
        mappedPack = pack
        bytes = UnsafeRawBufferPointer(rebasing: pack[..<(pack.count - Self.idLength)])
    }

    deinit {
        Self.unmap(index)
        Self.unmap(mappedPack)
    }

    /// The object count both files agree on, after checking every length
    /// the lookups below rely on; nil when something does not add up.
    private static func validatedCount(index: UnsafeRawBufferPointer, pack: UnsafeRawBufferPointer) -> Int? {
        guard index.count >= headerLength + fanoutLength + trailerLength,
              index.loadUnaligned(as: UInt32.self).bigEndian == 0xff74_4f63,
              index.loadUnaligned(fromByteOffset: 4, as: UInt32.self).bigEndian == 2 else { return nil }
        var previous: UInt32 = 0
        for slot in 0..<256 {
            let value = index.loadUnaligned(fromByteOffset: headerLength + slot * 4, as: UInt32.self).bigEndian
            guard value >= previous else { return nil }
            previous = value
        }
        let count = Int(previous)
        let fixed = headerLength + fanoutLength + count * (idLength + 8) + trailerLength
        guard index.count >= fixed, (index.count - fixed) % 8 == 0,
              pack.count >= 12 + idLength, pack.prefix(4).elementsEqual("PACK".utf8),
              [2, 3].contains(pack.loadUnaligned(fromByteOffset: 4, as: UInt32.self).bigEndian),
              Int(pack.loadUnaligned(fromByteOffset: 8, as: UInt32.self).bigEndian) == count else { return nil }
        return count
    }

    /// Where `id` starts in the pack, nil when it is not in it. Object ids
    /// are SHA-1 hashes, spread evenly: each probe goes where the id's next
    /// 64 bits put it between the two ids that bracket it so far
    /// (interpolation): a handful of probes, where a binary search through
    /// a 340 MB table of ids took 17 and missed the processor's caches at
    /// almost every one. After a few probes that did not close in, it
    /// halves instead, so even ids bunched on purpose cost no more than a
    /// binary search.
    func offset(of id: ObjectID) -> Int? {
        withUnsafeBytes(of: id.raw.id) { wanted in
            let first = Int(wanted[0])
            let fanout = Self.headerLength, ids = Self.idsStart
            // The ids with this first byte lie in low..<high.
            var low = first == 0 ? 0 : Int(index.loadUnaligned(fromByteOffset: fanout + (first - 1) * 4, as: UInt32.self).bigEndian)
            var high = Int(index.loadUnaligned(fromByteOffset: fanout + first * 4, as: UInt32.self).bigEndian)
            func order(at position: Int) -> Int32 { memcmp(index.baseAddress! + ids + position * Self.idLength, wanted.baseAddress!, Self.idLength) }
            func key(at position: Int) -> UInt64 { index.loadUnaligned(fromByteOffset: ids + position * Self.idLength + 1, as: UInt64.self).bigEndian }
            let wantedKey = wanted.loadUnaligned(fromByteOffset: 1, as: UInt64.self).bigEndian
            // Every id below `low` is smaller than the wanted one, every one from `high` on bigger; the keys bound it likewise.
            var lowKey = UInt64.min, highKey = UInt64.max, probes = 0
            while low < high {
                var guess = (low + high) / 2
                if probes < Self.interpolatedProbes, lowKey <= wantedKey, wantedKey <= highKey, lowKey < highKey {
                    let share = Double(wantedKey - lowKey) / Double(highKey - lowKey)
                    guess = min(high - 1, low + Int(share * Double(high - low)))
                }
                probes += 1
                let probe = order(at: guess)
                if probe == 0 { return packOffset(at: guess) }
                if probe < 0 { low = guess + 1; lowKey = key(at: guess) } else { high = guess; highKey = key(at: guess) }
            }
            return nil
        }
    }

    /// Probes placed by interpolation before the search falls back to halving.
    private static let interpolatedProbes = 6

    /// Every id it holds, in the index's order.
    var ids: [ObjectID] {
        (0..<count).map { position in
            var oid = git_oid()
            withUnsafeMutableBytes(of: &oid.id) { id in
                id.copyMemory(from: UnsafeRawBufferPointer(rebasing: index[(Self.idsStart + position * Self.idLength)...].prefix(Self.idLength)))
            }
            return ObjectID(oid)
        }
    }

    /// The offset of the `position`th id, through the table of large offsets when it is past 2 GiB.
    private func packOffset(at position: Int) -> Int? {
        let offsets = Self.headerLength + Self.fanoutLength + count * (Self.idLength + 4)
        let small = index.loadUnaligned(fromByteOffset: offsets + position * 4, as: UInt32.self).bigEndian
        var offset = Int(small)
        if small & 0x8000_0000 != 0 {
            let large = offsets + count * 4 + Int(small & 0x7fff_ffff) * 8
            guard large + 8 <= index.count - Self.trailerLength else { return nil }
            offset = Int(truncatingIfNeeded: index.loadUnaligned(fromByteOffset: large, as: UInt64.self).bigEndian)
        }
        return offset >= 12 && offset < bytes.count ? offset : nil
    }

    /// Counts the pages a read of `length` bytes mapped and gives the pack's back every `releaseEvery`.
    func noteRead(_ length: Int) {
        let total = readSinceRelease.add(max(length, Self.faultAround), ordering: .relaxed).newValue
        guard total >= Self.releaseEvery else { return }
        readSinceRelease.store(0, ordering: .relaxed)
        _ = madvise(UnsafeMutableRawPointer(mutating: mappedPack.baseAddress), mappedPack.count, MADV_DONTNEED)
    }

    private static func map(_ path: String) -> UnsafeRawBufferPointer? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_size > 0,
              let address = mmap(nil, Int(status.st_size), PROT_READ, MAP_PRIVATE, descriptor, 0), address != MAP_FAILED else { return nil }
        return UnsafeRawBufferPointer(start: address, count: Int(status.st_size))
    }

    private static func unmap(_ mapping: UnsafeRawBufferPointer) {
        munmap(UnsafeMutableRawPointer(mutating: mapping.baseAddress), mapping.count)
    }

    /// The packs open in this process by path, held weakly: a pack pack
    /// maintenance removed is unmapped once no handle reads it any more.
    private static let openPacks = Mutex<[String: WeakPack]>([:])

    private struct WeakPack: @unchecked Sendable { weak var pack: PackFile? }

    /// The pack `name` in `directory`, mapped once per process.
    static func shared(directory: String, name: String) -> PackFile? {
        let path = directory + "/" + name
        return openPacks.withLock { open in
            if let pack = open[path]?.pack { return pack }
            open = open.filter { $0.value.pack != nil }
            guard let pack = PackFile(directory: directory, name: name) else { return nil }
            open[path] = WeakPack(pack: pack)
            return pack
        }
    }
}
