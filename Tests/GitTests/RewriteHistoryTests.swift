import Foundation
import Git
import ParleyTestSupport
import Testing

/// A rewrite with buffered writes reaches the disk as packs of a bounded
/// number of commits: no loose objects, and a history Git itself reads.
@Suite struct RewriteHistoryTests {
    let directory = TemporaryDirectory("rewrite")

    @Test func aBufferedRewriteIsWrittenAsOnePackPerChunkOfCommits() throws {
        let repository = try Repository.create(at: directory.path)
        var tip: ObjectID?
        for index in 0..<10 {
            let files: [TreeUpdate] = [.upsert("people/secret/\(index).txt", blob: try repository.writeBlob(Data("secret \(index)".utf8))),
                                       .upsert("people/kept/\(index).txt", blob: try repository.writeBlob(Data("kept \(index)".utf8)))]
            let tree = try repository.updatedTree(base: tip.map { try repository.treeID(ofCommit: $0) }, applying: files)
            let signature = Signature(name: "Dana", email: "dana@example.com", time: Date(timeIntervalSince1970: 1_773_000_000 + Double(index)))
            tip = try repository.createCommit(tree: tree, parents: tip.map { [$0] } ?? [], author: signature, committer: signature,
                                              message: "commit \(index)", updatingReference: "HEAD")
        }
        _ = try Shell.git(["gc", "-q"], in: directory.path)
        let objects = directory.path + "/.git/objects"
        let packsBefore = try FileManager.default.contentsOfDirectory(atPath: objects + "/pack").filter { $0.hasSuffix(".pack") }

        let rewriter = try #require(try Repository.open(at: directory.path))
        try rewriter.bufferObjectWrites()
        let (newTip, rewritten) = try rewriter.rewriteHistory(from: tip!, tree: { tree throws(GitError) in
            try rewriter.updatedTree(base: tree, applying: [.remove("people/secret")])
        }, message: { $0 }, commitsPerPack: 3)
        #expect(rewritten == 10)

        let packs = try FileManager.default.contentsOfDirectory(atPath: objects + "/pack").filter { $0.hasSuffix(".pack") }
        #expect(packs.count == packsBefore.count + 4, "ten commits, three to a pack")
        let loose = try FileManager.default.contentsOfDirectory(atPath: objects).filter { $0.count == 2 }
            .flatMap { try FileManager.default.contentsOfDirectory(atPath: objects + "/" + $0) }
        #expect(loose.isEmpty, "loose objects: \(loose)")
        _ = try Shell.git(["update-ref", "refs/heads/rewritten", newTip.hex], in: directory.path)
        #expect(try Shell.git(["fsck", "--strict", "--no-dangling"], in: directory.path).status == 0)
        let files = try Shell.git(["ls-tree", "-r", "--name-only", "rewritten"], in: directory.path).standardOutput
        #expect(files.split(separator: "\n").count == 10 && !files.contains("secret"))
        #expect(try Shell.git(["rev-list", "--count", "rewritten"], in: directory.path).standardOutput.hasPrefix("10"))
    }
}
