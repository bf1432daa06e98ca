import Foundation
import Git
import ParleyTestSupport
import Testing

/// Buffered commits build their trees in Swift and write their own pack:
/// real git must read both exactly as it reads what libgit2 writes.
@Suite struct BufferedWritesTests {
    let directory = TemporaryDirectory("git-buffered")
    let signature = Signature(name: "Dana", email: "dana@example.com", time: Date(timeIntervalSince1970: 1_773_000_000))

    /// Commits `updates` the way the mailbox store does with writes buffered, and returns the commit and its pack.
    private func commitBuffered(_ repository: Repository, _ files: [String: String?], parent: ObjectID?) throws -> (ObjectID, String?) {
        try repository.bufferObjectWrites()
        let updates = try files.map { path, text in
            try text.map { TreeUpdate.upsert(path, blob: try repository.writeBlob(Data($0.utf8))) } ?? .remove(path)
        }
        let base = try parent.map { try repository.treeID(ofCommit: $0) }
        let tree = try repository.updatedTree(base: base, applying: updates)
        let commit = try repository.createCommit(tree: tree, parents: parent.map { [$0] } ?? [], author: signature, committer: signature,
                                                 message: "buffered\n", updatingReference: nil)
        let blobs = updates.compactMap { if case .upsert(let blob) = $0.action { return blob } else { return nil } }
        let written = try repository.newTrees(in: tree, comparedTo: base, along: updates.map(\.path)) + blobs + [commit]
        let pack = try repository.flushBufferedObjects(written)
        try repository.updateReference("refs/heads/main", to: commit, expecting: parent, logMessage: "test")
        return (commit, pack)
    }

    @Test func gitVerifiesThePackAndReadsTheSameTreesLibgit2Would() throws {
        let repository = try Repository.create(at: directory.path, bare: true)
        let files: [String: String?] = [
            "conversations/47/+13125550147/messages/a.md": "hello\n", "conversations/47/+13125550147/contact.md": "Sarah\n",
            "conversations/48/+13125550148/messages/b.md": String(repeating: "long text ", count: 3_000), "outbox/x.md": "queued\n",
            "a-b": "sorts before the folder a\n", "a/c": "in the folder\n", "a.b": "sorts between\n",
        ]
        let (first, pack) = try commitBuffered(repository, files, parent: nil)
        let packName = try #require(pack)
        let verify = try Shell.git(["verify-pack", "-v", directory.path + "/objects/pack/" + packName.replacingOccurrences(of: ".pack", with: ".idx")],
                                   in: directory.path)
        #expect(verify.status == 0, "\(verify.standardError)")
        // A second commit that also removes a file and empties a folder, as git_tree_create_updated would.
        let (second, _) = try commitBuffered(repository, ["outbox/x.md": nil, "conversations/47/+13125550147/messages/c.md": "again\n"], parent: first)
        #expect(try Shell.git(["--git-dir", directory.path, "fsck", "--strict"], in: directory.path).status == 0)
        let listing = try Shell.git(["--git-dir", directory.path, "ls-tree", "-r", "--name-only", second.hex], in: directory.path).standardOutput
        #expect(listing.split(separator: "\n").sorted() == [
            "a-b", "a.b", "a/c", "conversations/47/+13125550147/contact.md", "conversations/47/+13125550147/messages/a.md",
            "conversations/47/+13125550147/messages/c.md", "conversations/48/+13125550148/messages/b.md",
        ])
        #expect(try Shell.git(["--git-dir", directory.path, "cat-file", "-p", "\(second.hex):conversations/47/+13125550147/messages/c.md"],
                              in: directory.path).standardOutput == "again\n")
        // The same tree through libgit2's own builder, unbuffered, has the same id.
        let plain = try Repository.create(at: directory.path + "-plain", bare: true)
        defer { try? FileManager.default.removeItem(atPath: directory.path + "-plain") }
        let updates = try files.compactMap { path, text in try text.map { TreeUpdate.upsert(path, blob: try plain.writeBlob(Data($0.utf8))) } }
        #expect(try plain.updatedTree(base: nil, applying: updates) == repository.treeID(ofCommit: first))
    }

    /// Folders are changed by splicing their stored bytes: over random
    /// batches of upserts and removals, among names that sort around "/"
    /// and folders that empty out and come back, every tree id is the
    /// one libgit2's own tree writer gives for the same changes.
    @Test func splicedTreesHaveTheIdsLibgit2Writes() throws {
        let buffered = try Repository.create(at: directory.path, bare: true)
        try buffered.bufferObjectWrites()
        let plain = try Repository.create(at: directory.path + "-plain", bare: true)
        defer { try? FileManager.default.removeItem(atPath: directory.path + "-plain") }
        var generator = SeededGenerator(seed: 26)
        let folders = ["a", "a-b", "a.b", "+13125550147", "+13125550148", "messages"], files = ["a.c", "a0", "ab", "b", "x.md"]
        var bufferedTree: ObjectID?, plainTree: ObjectID?
        var existing = Set<String>()
        for round in 0..<300 {
            var updates: [String: TreeUpdate.Action] = [:]
            for _ in 0..<Int.random(in: 1...6, using: &generator) {
                let depth = Int.random(in: 0...2, using: &generator)
                let path = ((0..<depth).map { _ in folders.randomElement(using: &generator)! } + [files.randomElement(using: &generator)!])
                    .joined(separator: "/")
                if Int.random(in: 0..<3, using: &generator) == 0 {
                    // Only a file that is there is removed (libgit2 refuses the others, and the store never asks).
                    if let present = existing.randomElement(using: &generator), updates[present] == nil { updates[present] = .remove }
                } else {
                    let blob = try plain.writeBlob(Data("\(path) \(round)\n".utf8))
                    #expect(try buffered.writeBlob(Data("\(path) \(round)\n".utf8)) == blob)
                    updates[path] = .upsert(blob: blob)
                }
            }
            let batch = updates.keys.sorted().map { TreeUpdate(path: $0, action: updates[$0]!) }
            for update in batch { if update.action == .remove { existing.remove(update.path) } else { existing.insert(update.path) } }
            let fromLibgit2 = try plain.updatedTreeByLibgit2(base: plainTree, applying: batch)
            let spliced = try buffered.updatedTree(base: bufferedTree, applying: batch)
            #expect(spliced == fromLibgit2, "round \(round): \(batch)")
            guard spliced == fromLibgit2 else { return }
            (bufferedTree, plainTree) = (spliced, fromLibgit2)
        }
    }
}
