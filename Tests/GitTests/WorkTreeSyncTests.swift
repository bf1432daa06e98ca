import Foundation
import Git
import ParleyTestSupport
import Testing

@Suite struct WorkTreeSyncTests {
    let directory = TemporaryDirectory("worktree")

    private func commit(_ repository: Repository, _ updates: [TreeUpdate]) throws -> (ObjectID?, ObjectID) {
        let head = try repository.headCommitID()
        let old = try head.map { try repository.treeID(ofCommit: $0) }
        let tree = try repository.updatedTree(base: old, applying: updates)
        let signature = Signature(name: "Dana", email: "dana@example.com", time: Date())
        _ = try repository.createCommit(tree: tree, parents: head.map { [$0] } ?? [], author: signature, committer: signature,
                                        message: "change", updatingReference: "HEAD")
        try repository.syncWorkTree(paths: updates.map(\.path), from: old, to: tree)
        return (old, tree)
    }

    @Test func touchedPathsAreCheckedOutAndGitSeesACleanTree() throws {
        let repository = try Repository.create(at: directory.path)
        _ = try commit(repository, [.upsert("templates/a.md", blob: repository.writeBlob(Data("A\n".utf8)))])
        _ = try commit(repository, [.upsert("messages/1.md", blob: repository.writeBlob(Data("one\n".utf8)))])
        #expect(directory.read("messages/1.md") == "one\n")
        let status = try Shell.git(["status", "--porcelain"], in: directory.path)
        #expect(status.standardOutput == "")
        #expect(try Shell.git(["fsck", "--strict"], in: directory.path).status == 0)
    }

    @Test func aPersonsUncommittedEditElsewhereSurvives() throws {
        let repository = try Repository.create(at: directory.path)
        _ = try commit(repository, [.upsert("templates/a.md", blob: repository.writeBlob(Data("A\n".utf8)))])
        try directory.write("templates/a.md", "A edited by a person\n")
        _ = try commit(repository, [.upsert("messages/1.md", blob: repository.writeBlob(Data("one\n".utf8)))])
        #expect(directory.read("templates/a.md") == "A edited by a person\n")
        let status = try Shell.git(["status", "--porcelain"], in: directory.path)
        #expect(status.standardOutput == " M templates/a.md\n")
        let committed = try Shell.git(["show", "HEAD:templates/a.md"], in: directory.path)
        #expect(committed.standardOutput == "A\n")
    }

    @Test func anEditToATouchedPathIsKeptAndReported() throws {
        let repository = try Repository.create(at: directory.path)
        _ = try commit(repository, [.upsert("drafts/x.md", blob: repository.writeBlob(Data("draft\n".utf8)))])
        try directory.write("drafts/x.md", "draft changed by hand\n")
        let head = try #require(try repository.headCommitID())
        let old = try repository.treeID(ofCommit: head)
        let tree = try repository.updatedTree(base: old, applying: [.remove("drafts/x.md")])
        let signature = Signature(name: "Dana", email: "dana@example.com", time: Date())
        _ = try repository.createCommit(tree: tree, parents: [head], author: signature, committer: signature, message: "rm", updatingReference: "HEAD")
        let outcome = try repository.syncWorkTree(paths: ["drafts/x.md"], from: old, to: tree)
        #expect(outcome["drafts/x.md"] == .keptLocalEdits)
        #expect(directory.read("drafts/x.md") == "draft changed by hand\n")
    }

    @Test func deletionsRemoveFilesAndEmptyFolders() throws {
        let repository = try Repository.create(at: directory.path)
        _ = try commit(repository, [.upsert("outbox/a/x.md", blob: repository.writeBlob(Data("x".utf8))), .upsert("keep", blob: repository.writeBlob(Data("k".utf8)))])
        _ = try commit(repository, [.remove("outbox/a/x.md")])
        #expect(!FileManager.default.fileExists(atPath: directory.file("outbox")))
        #expect(try Shell.git(["status", "--porcelain"], in: directory.path).standardOutput == "")
    }
}
