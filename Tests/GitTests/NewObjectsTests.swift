import Foundation
@testable import Git
import ParleyTestSupport
import Testing

/// Listing what a push or a local fetch sends reads only the top of the
/// history, whatever order the other side's tips come in.
@Suite struct NewObjectsTests {
    let directory = TemporaryDirectory("new-objects")

    private func commit(_ repository: Repository, _ text: String, parent: ObjectID?, at seconds: TimeInterval, reference: String?) throws -> ObjectID {
        let base = try parent.map { try repository.treeID(ofCommit: $0) }
        let tree = try repository.updatedTree(base: base, applying: [.upsert("records/\(text).txt", blob: try repository.writeBlob(Data(text.utf8)))])
        let signature = Signature(name: "Dana", email: "dana@example.com", time: Date(timeIntervalSince1970: seconds))
        return try repository.createCommit(tree: tree, parents: parent.map { [$0] } ?? [], author: signature, committer: signature,
                                           message: text, updatingReference: reference)
    }

    /// The hub has an old `main` root and a records branch of 30 commits.
    /// This clone wrote a commit on the hub's tip of a while ago, fetched
    /// the 10 since, and merged: the merge and its own commit are new. A
    /// commit deep in the records history is missing from disk, so a walk
    /// that read the hub's whole history (as libgit2's did when `main` was
    /// hidden before the records tip) fails instead of passing slowly.
    @Test(arguments: [false, true])
    func onlyTheNewCommitsAreReadWhicheverOrderTheHubsTipsComeIn(recordsTipFirst: Bool) throws {
        let writer = try Repository.create(at: directory.path, bare: true)
        let main = try commit(writer, "main", parent: nil, at: 1_000_000, reference: "refs/heads/main")
        var records: [ObjectID] = []
        for index in 0..<30 {
            records.append(try commit(writer, "r\(index)", parent: records.last, at: 2_000_000 + Double(index) * 60, reference: nil))
        }
        let own = try commit(writer, "own", parent: records[19], at: 2_500_000, reference: nil)
        let merged = try writer.updatedTree(base: writer.treeID(ofCommit: records[29]),
                                            applying: [.upsert("records/own.txt", blob: try writer.writeBlob(Data("own".utf8)))])
        let signature = Signature(name: "Dana", email: "dana@example.com", time: Date(timeIntervalSince1970: 3_000_000))
        let merge = try writer.createCommit(tree: merged, parents: [own, records[29]], author: signature, committer: signature,
                                            message: "merge", updatingReference: nil)
        let deep = records[5].hex
        try FileManager.default.removeItem(atPath: writer.gitDirectory + "objects/\(deep.prefix(2))/\(deep.dropFirst(2))")
        // Opened afresh: the writer's object cache still holds the commit.
        let repository = try #require(try Repository.open(at: directory.path))
        #expect(throws: GitError.self) { try repository.newObjects(from: [records[6]], hiding: [main]) }

        let haves = recordsTipFirst ? [records[29], main] : [main, records[29]]
        let listed = try repository.newObjects(from: [merge], hiding: haves)
        #expect(listed.contains(merge) && listed.contains(own))
        #expect(!listed.contains(records[29]) && !listed.contains(records[19]))
        #expect(try listed.contains(#require(try repository.entry(atPath: "records/own.txt", inTree: merged)).id))
    }
}
