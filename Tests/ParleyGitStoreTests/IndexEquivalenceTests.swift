import Foundation
@testable import ParleyCore
import ParleyGitStore
import ParleyTestSupport
import PropertyBased
import Testing
@testable import ParleyIndex
import GRDB

/// The derived index answers exactly what a full scan of the tree answers,
/// over random histories on both stores, across a sync merge, and after
/// the index file is damaged or deleted.
@Suite struct IndexEquivalenceTests {
    /// Every summary, read directly from the tree (what the index replaces).
    func fullScan(_ store: any MailboxStore) throws -> [ConversationSummary] {
        let snapshot = try store.snapshot()
        var summaries: [ConversationSummary] = []
        for bucket in try snapshot.list(MailboxLayout.conversationsDirectory) ?? [] {
            for entry in try snapshot.list("\(MailboxLayout.conversationsDirectory)/\(bucket.name)") ?? [] {
                if let number = PhoneNumber(e164: entry.name), let summary = try ConversationSummary.load(number, from: snapshot) { summaries.append(summary) }
            }
        }
        return summaries.sorted { $0.number < $1.number }
    }

    func expectSameAnswers(_ mailbox: Mailbox, _ context: String) throws {
        let indexed = try mailbox.store.index().conversations(at: mailbox.store.snapshot(), onlyUnderReview: false, progress: nil).summaries.sorted { $0.number < $1.number }
        #expect(indexed == (try fullScan(mailbox.store)), "\(context)")
        let inbox = try mailbox.conversations.inbox(InboxFilter(includeClosed: true))
        #expect(inbox.total == indexed.filter { $0.lastMessage != nil }.count, "\(context)")
        let page = try mailbox.conversations.inbox(InboxFilter(includeClosed: true), limit: 3)
        #expect(page.entries.map(\.summary.number) == Array(inbox.entries.prefix(3)).map(\.summary.number), "\(context)")
        try expectSameSearchHits(mailbox, context)
    }

    /// Search finds exactly the messages a scan of every message file finds, newest first.
    func expectSameSearchHits(_ mailbox: Mailbox, _ context: String) throws {
        var messages: [Message] = []
        for summary in try fullScan(mailbox.store) { messages += try mailbox.conversations.conversation(summary.number).messages }
        for word in ["thursday", "stop", "THANKS", "opt"] {
            let scanned = messages.filter { message in
                message.body.lowercased().split(whereSeparator: { !$0.isLetter }).contains(Substring(word.lowercased()))
            }.sorted { $0.time > $1.time }
            let hits = try MessageSearch(text: word, limit: 1_000).results(in: mailbox).hits
            #expect(Set(hits.map(\.messageID)) == Set(scanned.map(\.id)), "\(context): \(word)")
            #expect(hits.map(\.time) == scanned.map(\.time), "\(context): \(word) newest first")
            let newest = try MessageSearch(text: word, limit: 2).results(in: mailbox).hits
            #expect(newest.map(\.time) == Array(scanned.prefix(2)).map(\.time), "\(context): \(word) limit")
        }
    }

    func randomOperation(_ mailbox: Mailbox, _ generator: inout SeededGenerator) async throws {
        let number = try PhoneNumber.parse("+1312555\(String(format: "%04d", 100 + Int.random(in: 0..<12, using: &generator)))")
        switch Int.random(in: 0..<7, using: &generator) {
        case 0, 1:
            _ = try await mailbox.inbound.receive(from: number, body: ["Hi", "Can I come Thursday?", "STOP", "please stop texting me", "thanks"]
                .randomElement(using: &generator)!, gateway: "sandbox")
        case 2:
            _ = try? mailbox.consent.grant(number, name: nil, disclosure: "I agree.", purpose: "reminders", method: .webForm, source: nil)
            _ = try? await mailbox.sending.send(to: number, OutgoingMessage(body: "Hi from Bright Smile Dental. Reply STOP to opt out.",
                                                                    overrides: [.quietHours: "test"]), via: ScriptedGateway())
        case 3: _ = try? mailbox.triage.assign(number, to: ["dana", "sam", nil].randomElement(using: &generator)!)
        case 4: _ = try? mailbox.triage.tag(number, add: ["billing"])
        case 5: _ = try? mailbox.triage.close(number, note: nil)
        default: _ = try? mailbox.contacts.add(Contact(number: number, name: ["Ana", "Bo", "Cy"].randomElement(using: &generator)!))
        }
    }

    /// A history is a list of operations, each drawn from its own seed, so
    /// a failing history shrinks to the few operations that matter.
    static let histories = Gen.uint64(in: 0...UInt64(UInt32.max)).array(of: 1...60)

    @Test(arguments: ["memory", "git"])
    func indexAnswersEqualAFullScan(kind: String) async throws {
        await propertyCheck(count: kind == "git" ? 6 : 25, input: Self.histories) { operations in
            let directory = TemporaryDirectory("index")
            let store: any MailboxStore = kind == "git" ? try GitMailboxStore.create(at: directory.path) : InMemoryStore()
            var clock = Fixtures.monday
            let mailbox = try Mailbox.initialize(store: store, config: Fixtures.config, skeleton: DefaultSkeleton.mailboxFiles,
                                                 clock: ParleyClock(fixed: clock), agent: Fixtures.agent)
            for (step, seed) in operations.enumerated() {
                var generator = SeededGenerator(seed: seed)
                clock.addTimeInterval(Double(Int.random(in: 1...5_000, using: &generator)))
                let now = Mailbox(store: store, config: mailbox.config, clock: ParleyClock(fixed: clock), agent: Fixtures.agent)
                try await randomOperation(now, &generator)
                if step % 7 == 0 { try expectSameAnswers(now, "\(kind) step \(step)") }
            }
            try expectSameAnswers(mailbox, "\(kind) end")
            withExtendedLifetime(directory) {}
        }
    }

    /// Two clones working apart, a person's own commits on main, and syncs
    /// that merge: each clone's index still answers what its tree says.
    @Test(arguments: [UInt64(5), UInt64(31)])
    func indexAnswersEqualAFullScanAcrossSyncMerges(seed: UInt64) async throws {
        let team = try Team(clones: ["a", "b"])
        var generator = SeededGenerator(seed: seed)
        for step in 0..<40 {
            let name = Bool.random(using: &generator) ? "a" : "b"
            try await randomOperation(try team.mailbox(name, minute: step), &generator)
            if step % 9 == 4 {
                let clone = team.directory.file(name)
                try team.directory.write("\(name)/tone.md", (team.directory.read("\(name)/tone.md") ?? "") + "\n<!-- \(name) \(step) -->\n")
                _ = try Shell.git(["commit", "-qam", "A person's edit"], in: clone)
            }
            if step % 5 == 4 {
                for clone in ["a", "b", "a"] { _ = try team.stores[clone]!.sync(authentication: team.authentication) }
                for clone in ["a", "b"] {
                    let mailbox = try team.mailbox(clone, minute: step)
                    try expectSameAnswers(mailbox, "seed \(seed) step \(step) clone \(clone)")
                    try expectSameLog(mailbox, repository: team.directory.file(clone), "seed \(seed) step \(step) clone \(clone)")
                }
            }
        }
    }

    /// `parley log NUMBER` from the index lists what `git log` lists for the
    /// conversation's folder (merges are compared apart: Parley keeps one
    /// only when it differs from every parent).
    func expectSameLog(_ mailbox: Mailbox, repository: String, _ context: String) throws {
        let merges = Set(try Shell.git(["rev-list", "--merges", "mailbox"], in: repository).standardOutput.split(separator: "\n").map(String.init))
        for summary in try fullScan(mailbox.store) {
            let folder = MailboxLayout.conversationDirectory(summary.number)
            let expected = try Shell.git(["log", "--format=%H", "--full-history", "--no-merges", "mailbox", "--", folder], in: repository)
                .standardOutput.split(separator: "\n").map(String.init)
            let logged = try mailbox.conversations.log(summary.number, limit: nil).map(\.id)
            #expect(logged.filter { !merges.contains($0) } == expected, "\(context): \(summary.number)")
            #expect(try mailbox.conversations.log(summary.number, limit: 2).map(\.id) == Array(logged.prefix(2)), "\(context): limit")
        }
    }

    @Test func aDamagedOrDeletedIndexIsRebuilt() async throws {
        let directory = TemporaryDirectory("index-damage")
        let store = try GitMailboxStore.create(at: directory.path)
        let mailbox = try Mailbox.initialize(store: store, config: Fixtures.config, skeleton: DefaultSkeleton.mailboxFiles,
                                             clock: Fixtures.clock(), agent: Fixtures.agent)
        _ = try await mailbox.inbound.receive(from: Fixtures.sarah, body: "Hello", gateway: "sandbox")
        #expect(try mailbox.conversations.inbox().entries.count == 1)
        let path = directory.path + "/.git/parley/index.sqlite"
        #expect(FileManager.default.fileExists(atPath: path))
        // A new process finds garbage where the index was (a disk error, a kill mid-write of a copy).
        try Data(repeating: 0x42, count: 4096).write(to: URL(fileURLWithPath: path))
        let reopened = try #require(try GitMailboxStore.open(at: directory.path))
        let again = try Mailbox.open(store: reopened, clock: Fixtures.clock(), agent: Fixtures.agent, location: directory.path)
        #expect(try again.conversations.inbox().entries.map(\.summary.number) == [Fixtures.sarah])
        try FileManager.default.removeItem(atPath: path)
        let fresh = try Mailbox.open(store: try #require(try GitMailboxStore.open(at: directory.path)), clock: Fixtures.clock(), agent: Fixtures.agent, location: directory.path)
        #expect(try fresh.conversations.inbox().entries.map(\.summary.number) == [Fixtures.sarah])
    }

    /// A rebuild reads a bucket of many conversations on several threads,
    /// each through a libgit2 handle of its own: the index still answers
    /// what a scan answers, and a conversation with a malformed file is
    /// reported with its path as before.
    @Test func aRebuildReadingOnSeveralThreadsAnswersWhatAScanDoes() async throws {
        let (directory, store, mailbox) = try Self.newMailbox("index-parallel")
        // Numbers ending in 00 all live in the bucket conversations/00.
        let numbers = try (1...40).map { try PhoneNumber.parse("+1312555\(String(format: "%02d", $0))00") }
        for (index, number) in numbers.enumerated() {
            _ = try await mailbox.inbound.receive(from: number, body: index % 3 == 0 ? "thanks, see you Thursday" : "Hi", gateway: "sandbox")
        }
        let broken = numbers[17]
        let brokenPath = MailboxLayout.messagesDirectory(broken) + "/zzzz.md"
        _ = try store.commit { _ in
            StoreChange(files: [brokenPath: Data("no front matter here\n".utf8)],
                        message: CommitMessage(subject: "A hand edit gone wrong", action: .ingest, trailers: []).text,
                        author: Fixtures.agent, time: Fixtures.monday)
        }
        try FileManager.default.removeItem(atPath: directory.path + "/.git/parley/index.sqlite")
        let reopened = try Self.reopen(directory)
        let page = try reopened.store.index().conversations(at: reopened.store.snapshot(), onlyUnderReview: false, progress: nil)
        #expect(page.summaries.count == numbers.count - 1)
        #expect(page.problems.map(\.description).contains { $0.contains(brokenPath) }, "\(page.problems)")
        let snapshot = try reopened.store.snapshot()
        let scanned = try numbers.filter { $0 != broken }.compactMap { number in try ConversationSummary.load(number, from: snapshot) }
        #expect(page.summaries.sorted { $0.number < $1.number } == scanned.sorted { $0.number < $1.number })
        let hits = try MessageSearch(text: "thursday", limit: 100).results(in: reopened).hits
        #expect(hits.count == numbers.indices.filter { $0 % 3 == 0 }.count)
        // The check compares the index's messages of every conversation with the files; only the broken one differs.
        let problems = try MailboxCheck.run(reopened, checkIndex: true).problems
        #expect(problems.allSatisfy { $0.contains(brokenPath) || $0.contains(broken.e164) }, "\(problems)")
    }

    /// A search or report in a fresh clone indexes every conversation at
    /// once, with the details' secondary indexes dropped and created again
    /// at the end (`IndexSchema.detailIndexes`); a search indexes only the
    /// texts, and the report after it the rest. Either way the index holds
    /// what catching up one conversation at a time writes, and keeps its indexes.
    @Test func aRebuildWithoutTheSecondaryIndexesWritesWhatCatchingUpWrites() async throws {
        let (directory, _, mailbox) = try Self.newMailbox("index-rebuild")
        let numbers = try (1...40).map { try PhoneNumber.parse("+13125550\(String(format: "%03d", $0 * 7))") }
        func detailAll(_ mailbox: Mailbox) throws { try mailbox.store.sqlIndex().read(at: mailbox.store.snapshot(), details: .all) { _ in } }
        for (index, number) in numbers.enumerated() {
            _ = try await mailbox.inbound.receive(from: number, body: index % 5 == 0 ? "STOP" : "Can I come Thursday?", gateway: "sandbox")
            if index % 3 == 0 {
                _ = try? mailbox.consent.grant(number, name: nil, disclosure: "I agree.", purpose: "reminders", method: .webForm, source: nil)
                // Refused after a STOP, which the index records as well.
                _ = try? await mailbox.sending.send(to: number, OutgoingMessage(body: "Hi from Bright Smile Dental. Reply STOP to opt out.",
                                                                                 overrides: [.quietHours: "test"]), via: ScriptedGateway())
            }
            if index % 4 == 0 { _ = try mailbox.triage.tag(number, add: ["billing"]) }
            // One stale conversation at a time: never the rebuild.
            try detailAll(mailbox)
        }
        let path = directory.path + "/.git/parley/index.sqlite"
        let caughtUp = try Self.contents(of: path)
        #expect((caughtUp["messages"]?.count ?? 0) > numbers.count && (caughtUp["receipts"]?.count ?? 0) > 0)
        for searchFirst in [true, false] {
            try FileManager.default.removeItem(atPath: path)
            let reopened = try Self.reopen(directory)
            if searchFirst {
                let hits = try MessageSearch(text: "thursday", limit: 100).results(in: reopened).hits
                #expect(hits.count == numbers.indices.filter { $0 % 5 != 0 }.count)
                #expect(try Self.contents(of: path)["receipts"] == [], "a search reads the texts alone")
            }
            try detailAll(reopened)
            let rebuilt = try Self.contents(of: path)
            #expect(rebuilt.keys.sorted() == caughtUp.keys.sorted())
            for (table, rows) in caughtUp { #expect(rebuilt[table] == rows, "\(table), search first: \(searchFirst)") }
        }
    }

    /// A Git mailbox in a new temporary directory.
    static func newMailbox(_ name: String) throws -> (TemporaryDirectory, GitMailboxStore, Mailbox) {
        let directory = TemporaryDirectory(name)
        let store = try GitMailboxStore.create(at: directory.path)
        let mailbox = try Mailbox.initialize(store: store, config: Fixtures.config, skeleton: DefaultSkeleton.mailboxFiles,
                                             clock: Fixtures.clock(), agent: Fixtures.agent)
        return (directory, store, mailbox)
    }

    /// The mailbox in `directory` opened again, as a new process would (with a new index handle).
    static func reopen(_ directory: TemporaryDirectory) throws -> Mailbox {
        try Mailbox.open(store: try #require(try GitMailboxStore.open(at: directory.path)), clock: Fixtures.clock(), agent: Fixtures.agent,
                         location: directory.path)
    }

    /// Every table's rows (sorted, as row ids may differ) and the schema, indexes included.
    static func contents(of path: String) throws -> [String: [String]] {
        try DatabaseQueue(path: path).read { db in
            var contents = ["schema": try String.fetchAll(db, sql: "SELECT type || ' ' || name || ' ' || ifnull(sql, '') FROM sqlite_master ORDER BY name")]
            for table in IndexSchema.tables + ["meta"] {
                contents[table] = try Row.fetchAll(db, sql: "SELECT * FROM \(table)").map(\.description).sorted()
            }
            return contents
        }
    }
}
