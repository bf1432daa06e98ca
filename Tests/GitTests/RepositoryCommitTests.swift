import Foundation
import Git
import ParleyTestSupport
import Testing

@Suite struct RepositoryCommitTests {
    let directory = TemporaryDirectory("git")

    private func commitFiles(_ repository: Repository, _ files: [String: String], parent: ObjectID?, message: String = "test") throws -> ObjectID {
        let updates = try files.map { path, text in TreeUpdate.upsert(path, blob: try repository.writeBlob(Data(text.utf8))) }
        let base = try parent.map { try repository.treeID(ofCommit: $0) }
        let tree = try repository.updatedTree(base: base, applying: updates)
        let signature = Signature(name: "Dana", email: "dana@example.com", time: Date(timeIntervalSince1970: 1_773_000_000))
        return try repository.createCommit(tree: tree, parents: parent.map { [$0] } ?? [], author: signature, committer: signature,
                                           message: message, updatingReference: "HEAD")
    }

    @Test func buildsNestedTreesInMemoryAndReadsThemBack() throws {
        let repository = try Repository.create(at: directory.path)
        #expect(try repository.headCommitID() == nil)
        let first = try commitFiles(repository, ["a/b/c.txt": "hello\n", "top.txt": "top\n"], parent: nil)
        #expect(try repository.headCommitID() == first)
        let tree = try repository.treeID(ofCommit: first)
        let entry = try #require(try repository.entry(atPath: "a/b/c.txt", inTree: tree))
        #expect(String(decoding: try repository.blobContent(entry.id), as: UTF8.self) == "hello\n")
        #expect(try repository.entries(ofTree: tree).map(\.name) == ["a", "top.txt"])
        #expect(try repository.entry(atPath: "missing", inTree: tree) == nil)
    }

    @Test func compareAndSwapRefusesAStaleParent() throws {
        let repository = try Repository.create(at: directory.path)
        let first = try commitFiles(repository, ["one.txt": "1"], parent: nil)
        _ = try commitFiles(repository, ["two.txt": "2"], parent: first)
        // A writer that still believes `first` is the tip loses the race.
        #expect {
            try commitFiles(repository, ["three.txt": "3"], parent: first)
        } throws: { error in
            (error as? GitError)?.code == .modified
        }
    }

    @Test func removingTheLastFileOfADirectoryRemovesTheDirectory() throws {
        let repository = try Repository.create(at: directory.path)
        let first = try commitFiles(repository, ["outbox/x.md": "x", "keep.txt": "k"], parent: nil)
        let tree = try repository.updatedTree(base: repository.treeID(ofCommit: first), applying: [.remove("outbox/x.md")])
        #expect(try repository.entries(ofTree: tree).map(\.name) == ["keep.txt"])
    }

    @Test func historyFiltersByPath() throws {
        let repository = try Repository.create(at: directory.path)
        let first = try commitFiles(repository, ["a/1": "1"], parent: nil, message: "first")
        let second = try commitFiles(repository, ["b/1": "1"], parent: first, message: "second")
        _ = try commitFiles(repository, ["a/2": "2"], parent: second, message: "third")
        let head = try #require(try repository.headCommitID())
        #expect(try repository.history(from: head).map(\.summary) == ["third", "second", "first"])
        #expect(try repository.history(from: head, touching: ["a"]).map(\.summary) == ["third", "first"])
        #expect(try repository.history(from: head, touching: ["b"], limit: 1).map(\.summary) == ["second"])
    }

    @Test func openReturnsNilOutsideARepositoryAndSearchesParents() throws {
        #expect(try Repository.open(at: directory.path) == nil)
        _ = try Repository.create(at: directory.path)
        try FileManager.default.createDirectory(atPath: directory.file("x/y"), withIntermediateDirectories: true)
        #expect(try Repository.open(at: directory.file("x/y")) == nil)
        let found = try #require(try Repository.open(at: directory.file("x/y"), searchParents: true))
        #expect(found.workingDirectory == directory.path + "/")
    }

    @Test func objectIDRoundTripsThroughHex() throws {
        let id = try Repository.blobID(of: Data("hello\n".utf8))
        #expect(id.hex == "ce013625030ba8dba906f756967f9e9ca394464a")
        #expect(ObjectID(hex: id.hex) == id)
        #expect(ObjectID(hex: "xyz") == nil)
    }

    private func tree(_ repository: Repository, _ files: [String: String?], base: ObjectID?) throws -> ObjectID {
        let updates = try files.map { path, text in
            try text.map { TreeUpdate.upsert(path, blob: try repository.writeBlob(Data($0.utf8))) } ?? .remove(path)
        }
        return try repository.updatedTree(base: base, applying: updates)
    }

    /// The quick merge gives the very tree libgit2's full merge gives when
    /// the sides changed different files, at any depth; and it declines
    /// (nil) when both changed one file, leaving it to the full merge.
    @Test(arguments: Array(UInt64(1)...12))
    func aDisjointMergeEqualsTheFullMerge(seed: UInt64) throws {
        let repository = try Repository.create(at: directory.path)
        var generator = SeededGenerator(seed: seed)
        let paths = (0..<40).map { index in "c/\(index % 4)/+1312555\(1000 + index % 9)/\(["messages", "events"][index % 2])/f\(index).md" }
        let base = try tree(repository, Dictionary(uniqueKeysWithValues: paths.prefix(20).map { ($0, "base \($0)") }), base: nil)
        var mine: [String: String?] = [:], theirs: [String: String?] = [:]
        for path in paths.shuffled(using: &generator) {
            switch Int.random(in: 0..<4, using: &generator) {
            case 0: mine[path] = "mine \(path)"
            case 1: theirs[path] = "theirs \(path)"
            case 2 where paths.prefix(20).contains(path): (Bool.random(using: &generator) ? { mine[path] = .some(nil) } : { theirs[path] = .some(nil) })()
            default: break
            }
        }
        let ours = try tree(repository, mine, base: base), other = try tree(repository, theirs, base: base)
        let full = try repository.mergeTrees(ancestor: base, ours: ours, theirs: other)
        let quick = try repository.mergeDisjointTrees(ancestor: base, ours: ours, theirs: other)
        #expect(quick == full.tree, "\(String(describing: quick)) \(String(describing: full.tree)) \(full.conflicts)")
        #expect(try repository.mergeDisjointTrees(ancestor: nil, ours: ours, theirs: ours) == ours)
        let both = try tree(repository, [paths[0]: "both, differently"], base: ours)
        #expect(try repository.mergeDisjointTrees(ancestor: base, ours: both, theirs: try tree(repository, [paths[0]: "other text"], base: other)) == nil)
    }
}

/// How libgit2 1.5 reports a push the remote cannot take, which sync tells apart by code and class.
@Suite struct PushRefusalTests {
    let directory = TemporaryDirectory("git-push")

    @Test func aNonFastForwardPushOverTheLocalTransportIsARefusalOfTheReferenceSubsystem() throws {
        let hub = directory.path + "/hub.git"
        _ = try Repository.create(at: hub, bare: true)
        let signature = Signature(name: "Dana", email: "dana@example.com", time: Date(timeIntervalSince1970: 1_773_000_000))
        func clone(_ name: String, writing text: String) throws -> Repository {
            let repository = try Repository.clone(url: hub, to: directory.path + "/" + name, authentication: RemoteAuthentication())
            let tree = try repository.updatedTree(base: nil, applying: [.upsert("a.txt", blob: try repository.writeBlob(Data(text.utf8)))])
            _ = try repository.createCommit(tree: tree, parents: [], author: signature, committer: signature, message: text, updatingReference: "refs/heads/main")
            return repository
        }
        let first = try clone("a", writing: "first\n"), second = try clone("b", writing: "second\n")
        #expect(try first.push(remote: "origin", refspecs: ["refs/heads/main:refs/heads/main"], authentication: RemoteAuthentication()).isEmpty)
        do {
            let rejections = try second.push(remote: "origin", refspecs: ["refs/heads/main:refs/heads/main"], authentication: RemoteAuthentication())
            #expect(!rejections.isEmpty, "a push that would lose the first clone's commit must not succeed")
        } catch {
            #expect(error.code == .nonFastForward || error.subsystem == .reference && error.message.contains("not present locally"), "\(error)")
        }
    }

    /// The forced push an erasure makes goes through only while the hub
    /// still has the commit this clone last saw, like `--force-with-lease`.
    @Test func aForcedPushHonoursItsLease() throws {
        let hub = directory.path + "/lease-hub.git"
        _ = try Repository.create(at: hub, bare: true)
        let signature = Signature(name: "Dana", email: "dana@example.com", time: Date(timeIntervalSince1970: 1_773_000_000))
        let clone = try Repository.clone(url: hub, to: directory.path + "/lease", authentication: RemoteAuthentication())
        func commit(_ text: String, parents: [ObjectID]) throws -> ObjectID {
            let tree = try clone.updatedTree(base: nil, applying: [.upsert("a.txt", blob: try clone.writeBlob(Data(text.utf8)))])
            return try clone.createCommit(tree: tree, parents: parents, author: signature, committer: signature, message: text, updatingReference: nil)
        }
        let published = try commit("first\n", parents: [])
        try clone.updateReference("refs/heads/main", to: published, expecting: nil, logMessage: "test")
        #expect(try clone.push(remote: "origin", refspecs: ["refs/heads/main:refs/heads/main"], authentication: RemoteAuthentication()).isEmpty)
        let rewritten = try commit("first, rewritten\n", parents: [])
        try clone.updateReference("refs/heads/main", to: rewritten, expecting: published, logMessage: "test")
        let stale = try clone.push(remote: "origin", refspecs: ["+refs/heads/main:refs/heads/main"], leases: ["refs/heads/main": rewritten],
                                   authentication: RemoteAuthentication())
        #expect(stale.map(\.reason) == ["stale info: the remote moved since the last fetch"])
        #expect(try Repository.open(at: hub)!.referenceTarget("refs/heads/main") == published)
        #expect(try clone.push(remote: "origin", refspecs: ["+refs/heads/main:refs/heads/main"], leases: ["refs/heads/main": published],
                               authentication: RemoteAuthentication()).isEmpty)
        #expect(try Repository.open(at: hub)!.referenceTarget("refs/heads/main") == rewritten)
    }
}
