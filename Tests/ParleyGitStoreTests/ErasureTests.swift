import Foundation
import ParleyCore
import ParleyGitStore
import ParleyTestSupport
import Testing
import ParleyIndex

/// `parley erase` with a hub and three clones: after the erasure, every
/// clone's sync, reflog expiry and `git gc --prune=now` in each, no object
/// in any repository holds the number, the name or the texts; syncing goes
/// on working, and a send to the erased number is refused with the reason.
@Suite struct ErasureTests {
    static let sarah = Fixtures.sarah, tom = Fixtures.tom
    static let secrets = ["13125550147", "Sarah Lee", "crown-fitting-secret", "insurance-claim-secret", "late-local-secret"]

    static func reply(_ text: String) -> OutgoingMessage { OutgoingMessage(body: text + " Reply STOP to opt out. - Bright Smile Dental") }

    /// Everything Git holds in a repository, every object decompressed.
    static func allObjects(_ directory: String) throws -> String {
        try Shell.git(["cat-file", "--batch-all-objects", "--batch", "--unordered"], in: directory).standardOutput
    }

    static func collectGarbage(_ directory: String) throws {
        _ = try Shell.git(["reflog", "expire", "--expire=now", "--all"], in: directory)
        _ = try Shell.git(["gc", "-q", "--prune=now"], in: directory)
    }

    /// The loose objects and the packs of a clone.
    static func objectFiles(_ clone: String) throws -> (loose: Set<String>, packs: Set<String>) {
        let objects = clone + "/.git/objects"
        var loose = Set<String>()
        for folder in try FileManager.default.contentsOfDirectory(atPath: objects) where folder.count == 2 {
            loose.formUnion(try FileManager.default.contentsOfDirectory(atPath: objects + "/" + folder).map { folder + $0 })
        }
        return (loose, Set(try FileManager.default.contentsOfDirectory(atPath: objects + "/pack").filter { $0.hasSuffix(".pack") }))
    }

    @Test func anErasureReachesTheHubAndEveryCloneAndLeavesNoObjectBehind() async throws {
        let team = try Team(clones: ["a", "b", "c"])
        let gateway = ScriptedGateway(name: "sandbox")
        let a = try team.mailbox("a")
        _ = try a.contacts.add(Contact(number: Self.sarah, name: "Sarah Lee", timeZone: "America/Chicago", state: "IL"))
        try a.consent.grant(Self.sarah, name: "Sarah Lee", disclosure: "I agree to texts.", purpose: "appointments", method: .paper, source: "desk")
        try a.consent.grant(Self.tom, name: "Tom", disclosure: "I agree to texts.", purpose: "appointments", method: .paper, source: "desk")
        _ = try await a.inbound.receive(from: Self.sarah, body: "About my crown-fitting-secret", gateway: "sandbox", gatewayID: "SM-sarah-1")
        _ = try await a.sending.send(to: Self.sarah, Self.reply("Your insurance-claim-secret is filed."), via: gateway)
        _ = try a.outbox.schedule(to: Self.sarah, Self.reply("Reminder for tomorrow."), at: Fixtures.monday.addingTimeInterval(86_400))
        _ = try await a.sending.send(to: Self.tom, Self.reply("Hello Tom."), via: gateway)
        for name in ["a", "b", "c", "a"] { _ = try team.stores[name]!.sync(authentication: team.authentication) }
        // Before anyone hears of the erasure: b works with Tom, c stores one more text from Sarah.
        _ = try await team.mailbox("b", minute: 5).inbound.receive(from: Self.tom, body: "Thanks!", gateway: "sandbox", gatewayID: "SM-tom-1")
        _ = try await team.mailbox("c", minute: 6).inbound.receive(from: Self.sarah, body: "One more late-local-secret", gateway: "sandbox",
                                                            gatewayID: "SM-sarah-2")

        let before = try Self.objectFiles(team.directory.file("a"))
        let record = try Erasure.erase(Self.sarah, reason: "Sarah Lee (+13125550147) asked to be forgotten", in: try team.mailbox("a", minute: 10))
        // The rewritten history and the erasure record reached the disk as a pack each, not as a file per object.
        let after = try Self.objectFiles(team.directory.file("a"))
        #expect(after.loose == before.loose && after.packs.subtracting(before.packs).count == 2 && before.packs.isSubset(of: after.packs))
        #expect(record.filesRemoved >= 6 && record.commitsRewritten >= 4, "\(record.filesRemoved) files, \(record.commitsRewritten) commits")
        #expect(!record.fileData().contains(Data("13125550147".utf8)) && !record.reason.contains("Sarah Lee"))
        for name in ["a", "b", "c", "a", "b", "c"] { _ = try team.stores[name]!.sync(authentication: team.authentication) }

        let repositories = [team.hub] + ["a", "b", "c"].map { team.directory.file($0) }
        for directory in repositories {
            try Self.collectGarbage(directory)
            let objects = try Self.allObjects(directory)
            for secret in Self.secrets { #expect(!objects.contains(secret), "\(secret) is still in \(directory)") }
            #expect(objects.contains("Hello Tom.") && objects.contains("Thanks!"), "the rest of the history is kept in \(directory)")
        }
        let tips = try ["a", "b", "c"].map { try Shell.git(["rev-parse", "mailbox"], in: team.directory.file($0)).standardOutput }
        #expect(Set(tips).count == 1)
        #expect(try Shell.git(["rev-parse", "mailbox"], in: team.hub).standardOutput == tips[0])

        // Syncing goes on as before, and nobody can text Sarah again.
        _ = try await team.mailbox("b", minute: 20).sending.send(to: Self.tom, Self.reply("See you Friday."), via: gateway)
        _ = try team.stores["b"]!.sync(authentication: team.authentication)
        _ = try team.stores["c"]!.sync(authentication: team.authentication)
        #expect(try Shell.git(["log", "mailbox", "--format=%s"], in: team.directory.file("c")).standardOutput.contains("Send message to"))
        let refused = await #expect(throws: ParleyError.self) {
            _ = try await team.mailbox("c", minute: 30).sending.send(to: Self.sarah, Self.reply("Hi again."), via: gateway)
        }
        #expect(refused?.description.contains("+13125550147 was erased from this mailbox") == true)
        #expect(try MailboxCheck.run(team.mailbox("c", minute: 31), checkIndex: true).problems == [])
    }

    @Test func retentionListsWhatIsPastItsTimeAndApplyErasesIt() async throws {
        let team = try Team(clones: ["a"])
        let old = try Mailbox.open(store: team.stores["a"]!, clock: ParleyClock(fixed: Timestamp.parse("2017-03-06T16:00:00Z")!),
                                   agent: Fixtures.agent, location: "a")
        _ = try await old.inbound.receive(from: Self.sarah, body: "An old crown-fitting-secret", gateway: "sandbox", gatewayID: "SM-old-sarah")
        _ = try await old.inbound.receive(from: Self.tom, body: "old-tom-secret", gateway: "sandbox", gatewayID: "SM-old-tom")
        _ = try await team.mailbox("a").inbound.receive(from: Self.tom, body: "A recent hello", gateway: "sandbox", gatewayID: "SM-new-tom")
        var config = Fixtures.config
        config.retention = RetentionPolicy(messages: .init("7y"), consent: .init("5y"))
        let mailbox = Mailbox(store: team.stores["a"]!, config: config, clock: Fixtures.clock(), agent: Fixtures.agent)
        let review = try RetentionReview.review(mailbox)
        #expect(review.expiredMessages == 2 && review.conversationsWithExpiredMessages == 2)
        #expect(review.expiredPeople.map(\.number) == [Self.sarah.e164])
        let records = try review.apply(to: mailbox)
        #expect(records.map(\.kind) == [.number, .messages])
        let after = try RetentionReview.review(mailbox)
        #expect(after.isEmpty)
        try Self.collectGarbage(team.directory.file("a"))
        let objects = try Self.allObjects(team.directory.file("a"))
        #expect(!objects.contains("crown-fitting-secret") && !objects.contains("old-tom-secret") && objects.contains("A recent hello"))
        // A retention erasure is not a request to be forgotten: no suppression entry.
        #expect(try SuppressionList.entry(for: Self.sarah, in: mailbox.store.snapshot()) == nil)
    }
}
