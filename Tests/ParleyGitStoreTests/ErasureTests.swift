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

    /// Everyone past their time goes in one rewrite (one commit with a
    /// record each), and a clone that syncs afterwards, with work of its
    /// own, applies the records in one rewrite of its own and meets the hub.
    @Test func retentionListsWhatIsPastItsTimeAndApplyErasesIt() async throws {
        let team = try Team(clones: ["a", "b"])
        let ana = try PhoneNumber.parse("+13055550142")
        let old = try Mailbox.open(store: team.stores["a"]!, clock: ParleyClock(fixed: Timestamp.parse("2017-03-06T16:00:00Z")!),
                                   agent: Fixtures.agent, location: "a")
        _ = try await old.inbound.receive(from: Self.sarah, body: "An old crown-fitting-secret", gateway: "sandbox", gatewayID: "SM-old-sarah")
        _ = try await old.inbound.receive(from: ana, body: "An old ana-secret", gateway: "sandbox", gatewayID: "SM-old-ana")
        _ = try await old.inbound.receive(from: Self.tom, body: "old-tom-secret", gateway: "sandbox", gatewayID: "SM-old-tom")
        _ = try await team.mailbox("a").inbound.receive(from: Self.tom, body: "A recent hello", gateway: "sandbox", gatewayID: "SM-new-tom")
        for name in ["a", "b"] { _ = try team.stores[name]!.sync(authentication: team.authentication) }
        _ = try await team.mailbox("b", minute: 5).inbound.receive(from: Self.tom, body: "Another hello", gateway: "sandbox", gatewayID: "SM-b-tom")

        var config = Fixtures.config
        config.retention = RetentionPolicy(messages: .init("7y"), consent: .init("5y"))
        let mailbox = Mailbox(store: team.stores["a"]!, config: config, clock: Fixtures.clock(), agent: Fixtures.agent)
        let review = try RetentionReview.review(mailbox)
        #expect(review.expiredMessages == 3 && review.conversationsWithExpiredMessages == 3)
        #expect(Set(review.expiredPeople.map(\.number)) == [Self.sarah.e164, ana.e164])
        let records = try review.apply(to: mailbox)
        #expect(records.map(\.kind) == [.number, .number, .messages])
        let subjects = try Shell.git(["log", "mailbox", "--format=%s"], in: team.directory.file("a")).standardOutput
        #expect(subjects.contains("Erase 2 people's records") && !subjects.contains("Erase one person's records"), "\(subjects)")
        let after = try RetentionReview.review(mailbox)
        #expect(after.isEmpty)
        // A retention erasure is not a request to be forgotten: no suppression entry.
        #expect(try SuppressionList.entry(for: Self.sarah, in: mailbox.store.snapshot()) == nil)

        for name in ["a", "b", "a"] { _ = try team.stores[name]!.sync(authentication: team.authentication) }
        let tips = try ["a", "b"].map { try Shell.git(["rev-parse", "mailbox"], in: team.directory.file($0)).standardOutput }
        let hubTip = try Shell.git(["rev-parse", "mailbox"], in: team.hub).standardOutput
        #expect(tips[0] == tips[1] && hubTip == tips[0])
        for name in ["a", "b"] {
            try Self.collectGarbage(team.directory.file(name))
            let objects = try Self.allObjects(team.directory.file(name))
            for secret in ["crown-fitting-secret", "ana-secret", "old-tom-secret"] { #expect(!objects.contains(secret), "\(secret) in \(name)") }
            #expect(objects.contains("A recent hello") && objects.contains("Another hello"), "the rest is kept in \(name)")
        }
    }
}
