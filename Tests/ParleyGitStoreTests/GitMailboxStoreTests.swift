import Foundation
import ParleyCore
import ParleyGitStore
import ParleyTestSupport
import Testing

@Suite struct GitMailboxStoreTests {
    let directory = TemporaryDirectory("gitstore")

    func change(_ files: [String: String?]) -> StoreChange {
        StoreChange(files: files.mapValues { $0.map { Data($0.utf8) } }, message: CommitMessage(subject: "Change", action: .contactEdit).text,
                    author: Fixtures.agent, time: Fixtures.monday)
    }

    @Test func aCommitMovedUnderneathByTheGitCLIIsNotLost() throws {
        let store = try GitMailboxStore.create(at: directory.path)
        _ = try store.commit { _ in change(["a.md": "a"]) }
        var attempts = 0
        _ = try store.commit { _ throws(ParleyError) in
            attempts += 1
            if attempts == 1 {
                // A person commits with git between our read and our write.
                // Inside the store's typed-throws transaction: a failure shows as a missing "by hand" commit below.
                try? self.directory.write("person.txt", "hello")
                _ = try? Shell.git(["add", "person.txt"], in: self.directory.path)
                _ = try? Shell.git(["commit", "-qm", "by hand"], in: self.directory.path)
            }
            return change(["b.md": "b"])
        }
        #expect(attempts == 2)
        let log = try Shell.git(["log", "--format=%s"], in: directory.path).standardOutput
        #expect(log == "Change\nby hand\nChange\n")
        #expect(try Shell.git(["status", "--porcelain"], in: directory.path).standardOutput == "")
    }

    @Test func theRealGitCLIIsHappyWithTheRepository() throws {
        let store = try GitMailboxStore.create(at: directory.path)
        for index in 0..<5 { _ = try store.commit { _ in change(["conversations/0\(index)/x/messages/\(index).md": "m\(index)\n"]) } }
        #expect(try Shell.git(["fsck", "--strict", "--no-dangling"], in: directory.path).status == 0)
        let trailers = try Shell.git(["log", "--format=%(trailers:key=\(Trailer.action.rawValue),valueonly)", "-1"], in: directory.path)
        #expect(trailers.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) == CommitAction.contactEdit.rawValue)
        let clone = TemporaryDirectory("clone")
        #expect(try Shell.run("git", ["clone", "-q", directory.path, clone.file("c")]).status == 0)
        #expect(clone.read("c/conversations/04/x/messages/4.md") == "m4\n")
    }

    @Test func bareRepositoriesWorkWithoutAWorkTree() throws {
        let store = try GitMailboxStore.create(at: directory.path, bare: true)
        #expect(store.isBare)
        _ = try store.commit { _ in change(["a.md": "a"]) }
        #expect(try store.snapshot().read("a.md") == Data("a".utf8))
        #expect(try Shell.git(["--git-dir", directory.path, "fsck", "--strict"], in: directory.path).status == 0)
    }

    @Test func contentIDsChangeOnlyWithTheContent() throws {
        let store = try GitMailboxStore.create(at: directory.path)
        _ = try store.commit { _ in change(["c/1/a": "a", "c/2/b": "b"]) }
        let before = try store.snapshot()
        _ = try store.commit { _ in change(["c/2/b": "b2"]) }
        let after = try store.snapshot()
        #expect(try before.contentID("c/1") == after.contentID("c/1"))
        #expect(try before.contentID("c/2") != after.contentID("c/2"))
        #expect(try after.list("c")?.first?.contentID == after.contentID("c/1"))
    }
}

@Suite struct PackMaintenanceTests {
    let directory = TemporaryDirectory("packs")

    private func commitBatches(_ store: GitMailboxStore, count: Int) throws {
        for index in 0..<count {
            // A batch, as the webhook server commits: several conversations at once.
            let files = Dictionary(uniqueKeysWithValues: (0..<4).map { part in
                ("conversations/\(part)\(index % 10)/x/messages/\(index).md", Data("m\(index)-\(part)\n".utf8) as Data?)
            })
            _ = try store.commit { _ in StoreChange(files: files, message: "Commit \(index)\n", author: Fixtures.agent, time: Fixtures.monday) }
        }
    }

    @Test func eachBatchCommitIsOnePackAndSmallPacksAreMerged() throws {
        let store = try GitMailboxStore.create(at: directory.path)
        try commitBatches(store, count: 100)
        let objects = directory.path + "/.git/objects"
        let loose = try FileManager.default.contentsOfDirectory(atPath: objects).filter { $0.count == 2 }
        #expect(loose.isEmpty, "no loose objects: every batch commit writes one pack")
        let packs = try FileManager.default.contentsOfDirectory(atPath: objects + "/pack").filter { $0.hasSuffix(".pack") }
        // Two merges happened (at 48 and 96 packs); the first merge's small packs are gone.
        #expect(packs.count < 60, "\(packs.count) packs after 100 commits")
        // The merged pack holds the versions of each folder as deltas of one another.
        let size = { (pack: String) in (try? FileManager.default.attributesOfItem(atPath: objects + "/pack/" + pack)[.size] as? Int) ?? 0 }
        let largest = packs.max { size($0) < size($1) }!
        let verified = try Shell.git(["verify-pack", "-v", "objects/pack/" + largest], in: directory.path + "/.git").standardOutput
        #expect(verified.contains("chain length = 1:"), "the merge ran the delta search")
        #expect(try Shell.git(["fsck", "--strict", "--no-dangling"], in: directory.path).status == 0)
        #expect(try Shell.git(["log", "--format=%s"], in: directory.path).standardOutput.split(separator: "\n").count == 100)
        #expect(try store.snapshot().read("conversations/39/x/messages/99.md") == Data("m99-3\n".utf8))
        // A person's git gc still works on top.
        #expect(try Shell.git(["gc", "-q"], in: directory.path).status == 0)
        _ = try store.commit { _ in StoreChange(files: ["after-gc.md": Data("x".utf8)], message: "After gc\n", author: Fixtures.agent, time: Fixtures.monday) }
        #expect(try Shell.git(["fsck", "--strict", "--no-dangling"], in: directory.path).status == 0)
    }

    @Test(arguments: [16, 2, 1]) func aServerMergesInTheBackgroundWhileItKeepsCommitting(fullMergeEvery: Int) async throws {
        // 16: both merges copy the small packs; 2: a copy, then a delta merge that retires it; 1: both run the delta search.
        let store = try GitMailboxStore.create(at: directory.path, bare: true)
        store.mergePacksInBackground(fullMergeEvery: fullMergeEvery)
        try commitBatches(store, count: 100)
        let packDirectory = directory.path + "/objects/pack"
        var packs = Int.max
        for _ in 0..<200 where packs >= 60 {
            packs = try FileManager.default.contentsOfDirectory(atPath: packDirectory).filter { $0.hasSuffix(".pack") }.count
            if packs >= 60 { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(packs < 60, "\(packs) packs after 100 commits: the background merges did not run")
        #expect(try Shell.git(["--git-dir", directory.path, "fsck", "--strict"], in: directory.path).status == 0)
        #expect(try Shell.git(["--git-dir", directory.path, "log", "--format=%s", "main"], in: directory.path).standardOutput
            .split(separator: "\n").count == 100)
    }
}
