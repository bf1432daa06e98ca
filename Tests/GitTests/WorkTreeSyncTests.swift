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
        let keptLocalEdits = try repository.syncWorkTree(paths: ["drafts/x.md"], from: old, to: tree)
        #expect(keptLocalEdits == ["drafts/x.md"])
        #expect(directory.read("drafts/x.md") == "draft changed by hand\n")
    }

    @Test func deletionsRemoveFilesAndEmptyFolders() throws {
        let repository = try Repository.create(at: directory.path)
        _ = try commit(repository, [.upsert("outbox/a/x.md", blob: repository.writeBlob(Data("x".utf8))), .upsert("keep", blob: repository.writeBlob(Data("k".utf8)))])
        _ = try commit(repository, [.remove("outbox/a/x.md")])
        #expect(!FileManager.default.fileExists(atPath: directory.file("outbox")))
        #expect(try Shell.git(["status", "--porcelain"], in: directory.path).standardOutput == "")
    }

    /// The walk goes from the end of the index's order (so a removal shifts
    /// little); in whatever order the paths come, the index and the files
    /// end exactly at the new tree, additions and removals mixed.
    @Test func manyRemovalsAndAdditionsInAnyOrderLeaveACleanTree() throws {
        let repository = try Repository.create(at: directory.path)
        let files = (0..<120).map { "records/\($0 % 7)/\($0).md" }
        _ = try commit(repository, try files.map { .upsert($0, blob: try repository.writeBlob(Data($0.utf8))) } + [
            .upsert("zz-kept.md", blob: repository.writeBlob(Data("kept".utf8)))])
        let removed = files.filter { !$0.hasSuffix("0.md") }.shuffled()
        let added = (0..<15).map { "records/\($0 % 3)/new-\($0).md" }
        _ = try commit(repository, try removed.map { .remove($0) } + added.map { .upsert($0, blob: try repository.writeBlob(Data($0.utf8))) })

        #expect(try Shell.git(["status", "--porcelain"], in: directory.path).standardOutput == "")
        let listed = try Shell.git(["ls-files"], in: directory.path).standardOutput.split(separator: "\n").map(String.init)
        let expected = files.filter { $0.hasSuffix("0.md") } + added + ["zz-kept.md"]
        #expect(listed == expected.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        #expect(!FileManager.default.fileExists(atPath: directory.file("records/1/1.md")))
        #expect(directory.read("records/2/new-5.md") == "records/2/new-5.md")
    }

    /// Files the index knows as clean are not read; an edit that keeps the
    /// size and puts the old modification time back still changes the
    /// file's ctime, and is still seen.
    @Test func anEditHidingBehindTheOldModificationTimeIsStillSeen() throws {
        let repository = try Repository.create(at: directory.path)
        _ = try commit(repository, [.upsert("templates/a.md", blob: repository.writeBlob(Data("AAAA\n".utf8)))])
        let head = try #require(try repository.headCommitID())
        let committed = try #require(try repository.entry(atPath: "templates/a.md", inTree: repository.treeID(ofCommit: head))).id
        #expect(try repository.editedInWorkTree([("templates/a.md", committed), ("templates/missing.md", nil)]).isEmpty)

        var before = stat()
        #expect(stat(directory.file("templates/a.md"), &before) == 0)
        usleep(20_000)
        try directory.write("templates/a.md", "BBBB\n")
        var times = [before.st_atim, before.st_mtim]
        #expect(utimensat(AT_FDCWD, directory.file("templates/a.md"), &times, 0) == 0)
        #expect(try repository.editedInWorkTree([("templates/a.md", committed)]) == ["templates/a.md"])
        #expect(try repository.editedInWorkTree([("templates/a.md", nil)]) == ["templates/a.md"])
    }
}
