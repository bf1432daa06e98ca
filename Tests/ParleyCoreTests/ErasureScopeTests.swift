import Foundation
@testable import ParleyCore
import ParleyTestSupport
import Testing

/// The erasure's rules on the in-memory store: what goes, what stays, what
/// the record and the commit messages keep, and the suppression.
@Suite struct ErasureScopeTests {
    let store = InMemoryStore()

    @Test func erasingANumberLeavesNoTraceButTheRecordAndRefusesLaterSends() async throws {
        let clock = ParleyClock(fixed: Fixtures.monday)
        let mailbox = try Mailbox.initialize(store: store, config: Fixtures.config, skeleton: DefaultSkeleton.mailboxFiles, clock: clock,
                                             agent: Fixtures.agent)
        _ = try mailbox.contacts.add(Contact(number: Fixtures.sarah, name: "Sarah Lee"))
        _ = try await mailbox.inbound.receive(from: Fixtures.sarah, body: "my-private-question", gateway: "sandbox", gatewayID: "SM1")
        _ = try await mailbox.inbound.receive(from: Fixtures.tom, body: "tom-stays", gateway: "sandbox", gatewayID: "SM2")
        let record = try Erasure.erase(Fixtures.sarah, reason: "Sarah Lee asked", in: mailbox)
        #expect(record.reason == "[erased] asked")
        #expect(record.filesRemoved == 2 && record.commitsRewritten == 3)  // the contact, her text, and Tom's commit after them
        let snapshot = try store.snapshot()
        #expect(try snapshot.list(MailboxLayout.conversationDirectory(Fixtures.sarah)) == nil)
        #expect(try snapshot.list(MailboxLayout.conversationDirectory(Fixtures.tom)) != nil)
        let history = try store.history(touching: [], limit: nil).map(\.message).joined()
        #expect(!history.contains("+13125550147") && !history.contains("Sarah Lee") && history.contains("+13125550123"))
        #expect(try SuppressionList.entry(for: Fixtures.sarah, in: snapshot)?.erasure == record.id)
        #expect(try SuppressionList.entry(for: Fixtures.tom, in: snapshot) == nil)
        #expect(throws: ParleyError.self) {
            _ = try mailbox.outbox.schedule(to: Fixtures.sarah, OutgoingMessage(body: "Hi. Reply STOP to opt out. - Bright Smile Dental"),
                                     at: Fixtures.monday.addingTimeInterval(3600))
        }
        // Another copy finds the same scope from the record, by the hash.
        let key = try SuppressionList.key(in: snapshot).key
        #expect(try ErasureScope.resolve(record, key: key, in: snapshot) == nil)
    }

    @Test func scrubbingReplacesOnlyAFullName() throws {
        let scope = ErasureScope(paths: [], needles: ["13125550147"], scrub: ["+13125550147", "Sarah Lee"])
        #expect(scope.scrubbed("Send message to Sarah Lee (+13125550147)\n\n\(Trailer.number.rawValue): +13125550147")
            == "Send message to [erased] ([erased])\n\n\(Trailer.number.rawValue): [erased]")
        #expect(scope.mentions(Data("To=%2B13125550147".utf8)) && !scope.mentions(Data("+13125550123".utf8)))
    }
}
