import Foundation
internal import CLibGit2
@testable import Git
import ParleyTestSupport
import Testing

/// Objects read straight from pack files must be byte for byte what
/// libgit2 reads, however real git packed them; what cannot be read that
/// way is left to libgit2, never read wrong.
@Suite struct PackedObjectsTests {
    let directory = TemporaryDirectory("git-packed")

    @discardableResult
    private func git(_ arguments: [String]) throws -> String {
        let result = try Shell.git(arguments, in: directory.path)
        #expect(result.status == 0, "git \(arguments.joined(separator: " ")): \(result.standardError)")
        return result.standardOutput
    }

    /// Sixty commits of a ledger with one line changed in each, a message
    /// per commit and a changing incompressible file, packed by git: each
    /// ledger is closest to the one before, so its deltas chain deep.
    private func packedHistory(offsetDeltas: Bool) throws -> [ObjectID] {
        try git(["init", "-q", "-b", "main", "."])
        var ledger = (0..<200).map { "- at: 2026-03-01T09:00:00Z\n  event: opt-in\n  source: web form \($0)\n" }
        var random = SystemRandomNumberGenerator()
        for round in 0..<60 {
            ledger[round * 7 % ledger.count] = "- at: 2026-04-01T09:00:00Z\n  event: opt-out\n  source: reply STOP \(round)\n"
            try ledger.joined().write(toFile: directory.file("consent.md"), atomically: true, encoding: .utf8)
            let folder = directory.file("messages")
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try "---\nid: \(round)\n---\nSee you on Friday at \(round % 12 + 1) pm.\n".write(toFile: folder + "/\(round).md", atomically: true, encoding: .utf8)
            if round % 10 == 0 {
                try Data((0..<70_000).map { _ in UInt8.random(in: 0...255, using: &random) }).write(to: URL(fileURLWithPath: directory.file("photo.bin")))
            }
            try git(["add", "-A"])
            try git(["commit", "-q", "-m", "round \(round)"])
        }
        try git(["-c", "repack.useDeltaBaseOffset=\(offsetDeltas)", "repack", "-a", "-d", "-f", "-q", "--depth=50", "--window=250"])
        return try git(["cat-file", "--batch-all-objects", "--batch-check=%(objectname)"]).split(separator: "\n").map { try #require(ObjectID(hex: String($0))) }
    }

    private func libgit2Read(_ id: ObjectID, in repository: Repository) throws -> PackedObjects.Object {
        try repository.withObjectDatabase { odb throws(GitError) in try repository.withObject(id, in: odb) { type, content in (type, Data(content)) } }
    }

    private var packIndex: String {
        get throws { try #require(FileManager.default.contentsOfDirectory(atPath: directory.file(".git/objects/pack")).first { $0.hasSuffix(".idx") }) }
    }

    @Test(arguments: [true, false])
    func readsEveryObjectOfAPackGitWroteAsLibgit2Does(offsetDeltas: Bool) throws {
        let ids = try packedHistory(offsetDeltas: offsetDeltas)
        let chains = try git(["verify-pack", "-v", ".git/objects/pack/" + packIndex])
        #expect(chains.contains("chain length = 10"), "git packed without deep deltas:\n\(chains.suffix(600))")
        #expect(ids.count > 200)
        let repository = try #require(try Repository.open(at: directory.path))
        let packed = PackedObjects(directory: repository.gitDirectory + "objects/pack")
        for id in ids {
            let direct = try #require(packed.read(id), "\(id) was not read from the pack")
            let expected = try libgit2Read(id, in: repository)
            #expect(direct.type == expected.type && direct.bytes == expected.bytes, "\(id) differs")
        }
        // The public reads go the same way: a tree's entries as libgit2 lists them.
        let head = try #require(try repository.headCommitID())
        let root = try repository.treeID(ofCommit: head)
        #expect(try repository.entries(ofTree: root).map(\.name) == ["consent.md", "messages", "photo.bin"])
        #expect(try repository.entries(ofTree: root).map(\.kind) == [.blob, .tree, .blob])
        #expect(try repository.entries(ofTree: root).allSatisfy { $0.fileMode == ($0.kind == .tree ? 0o40000 : 0o100644) })
    }

    @Test func aDamagedObjectIsLeftToLibgit2WhichReportsIt() throws {
        _ = try packedHistory(offsetDeltas: true)
        let photo = try #require(ObjectID(hex: try git(["rev-parse", "HEAD:photo.bin"]).trimmingCharacters(in: .whitespacesAndNewlines)))
        // verify-pack -v: "ID TYPE SIZE SIZE-IN-PACK OFFSET"; spoil bytes in the middle of the photo's deflated data.
        let line = try #require(try git(["verify-pack", "-v", ".git/objects/pack/" + packIndex]).split(separator: "\n").first { $0.hasPrefix(photo.hex) })
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        let offset = try #require(Int(fields[4])), length = try #require(Int(fields[3]))
        let packPath = directory.file(".git/objects/pack/" + (try packIndex).replacingOccurrences(of: ".idx", with: ".pack"))
        chmod(packPath, 0o644)
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: packPath))
        try handle.seek(toOffset: UInt64(offset + length / 2))
        try handle.write(contentsOf: Data(repeating: 0x5a, count: 64))
        try handle.close()

        let repository = try #require(try Repository.open(at: directory.path))
        #expect(PackedObjects(directory: repository.gitDirectory + "objects/pack").read(photo)?.bytes == nil)
        #expect(throws: GitError.self) { try repository.blobContent(photo) }
    }

    @Test func findsAPackWrittenAfterItOpenedAndKeepsReadingOnesRemoved() throws {
        let ids = try packedHistory(offsetDeltas: true)
        let repository = try #require(try Repository.open(at: directory.path))
        let packed = PackedObjects(directory: repository.gitDirectory + "objects/pack")
        #expect(packed.read(ids[0])?.bytes != nil)
        try "a new message\n".write(toFile: directory.file("messages/new.md"), atomically: true, encoding: .utf8)
        try git(["add", "-A"])
        try git(["commit", "-q", "-m", "new"])
        try git(["repack", "-d", "-q"])
        let new = try #require(ObjectID(hex: try git(["rev-parse", "HEAD:messages/new.md"]).trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(packed.read(new).map { String(decoding: $0.bytes, as: UTF8.self) } == "a new message\n")
        // Merged into one pack, the old ones deleted: what was read before still reads, from the new pack after a miss.
        try git(["repack", "-a", "-d", "-q"])
        for id in ids.prefix(50) + [new] { #expect(try packed.read(id)?.bytes == libgit2Read(id, in: repository).bytes) }
    }

    /// Tens of ids share each first byte here, so the search that starts
    /// from an id's next bits and widens is exercised on both sides.
    @Test func findsEachOfTwentyThousandIdsAndNoneOfTheAbsent() throws {
        let contents = (0..<20_000).map { Data("message \($0) at \(UInt64.random(in: 0...UInt64.max))\n".utf8) }
        let ids = try contents.map { try Repository.blobID(of: $0) }
        var writer = PackWriter(count: contents.count)
        for (id, content) in zip(ids, contents) {
            try content.withUnsafeBytes { try writer.append(id: id.raw, type: GIT_OBJECT_BLOB, content: $0) }
        }
        let name = try writer.write(to: directory.path, durable: false)
        let pack = try #require(PackFile.shared(directory: directory.path, name: String(name.dropLast(5))))
        #expect(pack.count == ids.count)
        let packed = PackedObjects(directory: directory.path)
        for (id, content) in zip(ids, contents) {
            #expect(pack.offset(of: id) != nil)
            #expect(packed.read(id)?.bytes == content)
        }
        for absent in 0..<20_000 {
            let id = try Repository.blobID(of: Data("absent \(absent)".utf8))
            #expect(pack.offset(of: id) == nil)
        }
    }

    @Test func aDeltaIsAppliedAndADamagedOneIsNeverATrap() {
        let base = Data("Your appointment is on Friday at 3 pm.".utf8)
        // Base size 38, result size 38: copy 23 bytes from 0, insert "Monday", copy 9 bytes from 29.
        let delta = Data([38, 38, 0x90, 23, 6] + Array("Monday".utf8) + [0x91, 29, 9])
        #expect(DeltaApplication.apply(delta, to: base, largest: 1 << 20).map { String(decoding: $0, as: UTF8.self) }
            == "Your appointment is on Monday at 3 pm.")
        var random = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            var damaged = delta
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                damaged[Int.random(in: 0..<damaged.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            }
            if Bool.random(using: &random) { damaged += (0..<Int.random(in: 0...8, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) } }
            if let result = DeltaApplication.apply(damaged, to: base, largest: 1 << 20) {
                #expect(result.count <= 1 << 20)
            }
        }
    }
}
