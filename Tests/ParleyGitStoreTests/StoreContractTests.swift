import Foundation
import ParleyCore
import ParleyGitStore
import ParleyTestSupport
import Testing

/// One contract, two stores: the in-memory store used by Core tests must
/// behave like the Git store users have (git-bug's RepoTest approach).
@Suite struct StoreContractTests {
    enum Kind: String, CaseIterable, CustomTestStringConvertible {
        case memory, git
        var testDescription: String { rawValue }
    }

    /// Runs `body` with a fresh store of `kind`, keeping its directory alive until the end.
    func using(_ kind: Kind, _ body: (any MailboxStore) async throws -> Void) async throws {
        switch kind {
        case .memory:
            try await body(InMemoryStore())
        case .git:
            let directory = TemporaryDirectory("contract")
            try await body(try GitMailboxStore.create(at: directory.path))
            withExtendedLifetime(directory) {}
        }
    }

    func change(_ files: [String: String?], _ message: String = "change") -> StoreChange {
        StoreChange(files: files.mapValues { $0.map { Data($0.utf8) } }, message: message + "\n", author: Fixtures.agent, time: Fixtures.monday)
    }

    @Test(arguments: Kind.allCases)
    func anEmptyStoreHasNothing(kind: Kind) async throws {
        try await using(kind) { store in
            let snapshot = try store.snapshot()
            #expect(snapshot.revision == nil)
            #expect(try snapshot.read("parley.yaml") == nil)
            #expect(try snapshot.list("") == nil)
            #expect(try store.history(touching: [], limit: nil).isEmpty)
        }
    }

    @Test(arguments: Kind.allCases)
    func aCommitWritesAllItsFilesAtOnce(kind: Kind) async throws {
        try await using(kind) { store in
            let record = try #require(try store.commit { _ in change(["a/b/one.md": "1", "a/two.md": "2", "top.yaml": "t"], "first") })
            let snapshot = try store.snapshot()
            #expect(snapshot.revision == record.id)
            #expect(try snapshot.read("a/b/one.md") == Data("1".utf8))
            #expect(try snapshot.list("a")?.map(\.name) == ["b", "two.md"])
            #expect(try snapshot.list("a")?.map(\.isDirectory) == [true, false])
            #expect(try snapshot.list("")?.map(\.name) == ["a", "top.yaml"])
            #expect(try snapshot.list("a/two.md") == nil)
        }
    }

    @Test(arguments: Kind.allCases)
    func nothingToChangeMeansNoCommit(kind: Kind) async throws {
        try await using(kind) { store in
            _ = try store.commit { _ in change(["x": "1"]) }
            #expect(try store.commit { _ in nil } == nil)
            #expect(try store.commit { _ in change(["x": "1"]) } == nil)
            #expect(try store.commit { _ in change(["missing": nil]) } == nil)
            #expect(try store.history(touching: [], limit: nil).count == 1)
        }
    }

    @Test(arguments: Kind.allCases)
    func deletesAndHistoryWithPathFilter(kind: Kind) async throws {
        try await using(kind) { store in
            _ = try store.commit { _ in change(["a/1": "1"], "add a") }
            _ = try store.commit { _ in change(["b/1": "1"], "add b") }
            _ = try store.commit { _ in change(["a/1": nil], "remove a") }
            #expect(try store.snapshot().read("a/1") == nil)
            #expect(try store.snapshot().list("a") == nil)
            let all = try store.history(touching: [], limit: nil)
            #expect(all.map(\.summary) == ["remove a", "add b", "add a"])
            #expect(all[0].authorName == "Dana Ruiz")
            #expect(all[0].time == Fixtures.monday)
            #expect(try store.history(touching: ["a"], limit: nil).map(\.summary) == ["remove a", "add a"])
            #expect(try store.history(touching: ["a"], limit: 1).map(\.summary) == ["remove a"])
        }
    }

    @Test(arguments: Kind.allCases)
    func aFailedTransactionOrASecretWritesNothing(kind: Kind) async throws {
        try await using(kind) { store in
            _ = try store.commit { _ in change(["x": "1"]) }
            #expect(throws: ParleyError.self) {
                try store.commit { _ throws(ParleyError) in throw .invalidInput("no") }
            }
            #expect(throws: ParleyError.self) { try store.commit { _ in change(["y": "2", ".env": "TOKEN=1"]) } }
            #expect(try store.snapshot().read("y") == nil)
            #expect(try store.history(touching: [], limit: nil).count == 1)
        }
    }

    @Test(arguments: Kind.allCases)
    func transactionsSeeTheLatestCommitAndNoneIsLost(kind: Kind) async throws {
        try await using(kind) { store in
            _ = try store.commit { _ in change(["counter": "0"]) }
            await withTaskGroup(of: Void.self) { group in
                for worker in 0..<8 {
                    group.addTask {
                        for step in 0..<5 {
                            _ = try? store.commit { snapshot throws(ParleyError) in
                                let value = Int(String(decoding: try snapshot.read("counter") ?? Data(), as: UTF8.self)) ?? 0
                                return change(["counter": String(value + 1), "w\(worker)/\(step)": "x"])
                            }
                        }
                    }
                }
            }
            #expect(try store.snapshot().read("counter") == Data("40".utf8))
            #expect(try store.history(touching: [], limit: nil).count == 41)
        }
    }

    @Test(arguments: Kind.allCases)
    func eachStoreKeepsOneIndex(kind: Kind) async throws {
        try await using(kind) { store in
            let first = try store.index(), second = try store.index()
            #expect(first === second)
        }
    }
}
