import Foundation
import ParleyCore
import ParleyGateways
import ParleyGitStore
import ParleyTestSupport
import Testing

@Suite(.serialized) struct ServerBehaviourTests {
    @Test func healthAndLimitsAndKannelAuthentication() async throws {
        let harness = try ServerHarness()
        try await harness.start { $0.bodyLimit = 2048 }
        defer { harness.stop() }
        #expect(try await harness.get("/healthz") == (200, "ok\nsync: off\n"))
        let before = try harness.commitCount()
        let oversized = String(repeating: "x", count: 4096)
        #expect(try await harness.post("/twilio/inbound", body: "Body=" + oversized, headers: ["X-Twilio-Signature": "x"]).0 == 413)
        #expect(try await harness.post("/kannel/inbound?k=\(ServerHarness.kannelSecret)&from=%2B13125550147", body: oversized).0 == 413)
        #expect(try await harness.post("/kannel/inbound?k=wrong&from=%2B13125550147", body: "hi").0 == 403)
        #expect(try await harness.post("/kannel/inbound?from=%2B13125550147", body: "hi").0 == 403)
        #expect(try await harness.post("/kannel/inbound?k=\(ServerHarness.kannelSecret)&from=not-a-number", body: "hi").0 == 400)
        #expect(try await harness.post("/kannel/inbound?k=\(ServerHarness.kannelSecret)&from=%2B13125550147&id=..%2F..%2Fetc", body: "hi").0 == 400)
        #expect(try harness.commitCount() == before)
        #expect(try await harness.post("/kannel/inbound?k=\(ServerHarness.kannelSecret)&from=%2B13125550147&id=4f1e-uuid&ts=1773068400", body: "hi there").0 == 200)
        #expect(try harness.mailbox.conversations.conversation(Fixtures.sarah).messages.first?.time == Date(timeIntervalSince1970: 1_773_068_400))
    }

    @Test func kannelCallbacksFromOtherAddressesAreRefused() async throws {
        let harness = try ServerHarness()
        try await harness.start { $0.webhooks = [KannelWebhooks(secret: ServerHarness.kannelSecret, allowedAddresses: ["10.9.9.9"])] }
        defer { harness.stop() }
        #expect(try await harness.post("/kannel/inbound?k=\(ServerHarness.kannelSecret)&from=%2B13125550147", body: "hi").0 == 403)
    }

    @Test func concurrentWebhooksShareCommitsAndNoneIsLost() async throws {
        let harness = try ServerHarness()
        try GitMailboxStore.setDurableWrites(true)
        defer { try? GitMailboxStore.setDurableWrites(false) }
        try await harness.start()
        defer { harness.stop() }
        let before = try harness.commitCount()
        let count = 200
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<count {
                group.addTask {
                    let number = String(format: "%%2B1312555%04d", 1000 + index % 50)
                    return try await harness.post("/kannel/inbound?k=\(ServerHarness.kannelSecret)&from=\(number)&id=burst-\(index)", body: "message \(index)").0
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses.allSatisfy { $0 == 200 })
        let commits = try harness.commitCount() - before
        #expect(commits < count)
        // Records are on the records branch; the work tree and index never see them.
        let files = try Shell.git(["ls-tree", "-r", "--name-only", "mailbox", "conversations"], in: harness.directory.path).standardOutput.split(separator: "\n")
        #expect(try Shell.git(["ls-files", "conversations"], in: harness.directory.path).standardOutput.isEmpty)
        #expect(files.filter { $0.contains("/messages/") }.count == count)
        #expect(try Shell.git(["fsck", "--strict", "--no-dangling"], in: harness.directory.path).status == 0)
        #expect(try Shell.git(["status", "--porcelain"], in: harness.directory.path).standardOutput == "")
    }
}
