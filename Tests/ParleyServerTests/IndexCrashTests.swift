import Foundation
import ParleyCore
import ParleyGitStore
import ParleyTestSupport
import Testing

/// kill -9 of a process in the middle of building the derived index leaves
/// an index the next process either trusts (it was committed whole) or
/// finishes: the answers are the same as a fresh build's.
@Suite(.serialized) struct IndexCrashTests {
    @Test func aKillDuringTheIndexBuildLeavesCorrectAnswers() async throws {
        let directory = TemporaryDirectory("index-crash")
        let store = try GitMailboxStore.create(at: directory.path)
        let mailbox = try Mailbox.initialize(store: store, config: Fixtures.config, skeleton: DefaultSkeleton.mailboxFiles,
                                             clock: Fixtures.clock(), agent: Fixtures.agent)
        // 3,000 conversations in one commit, as an import or a sync would bring them.
        var files: [String: Data?] = [:]
        for index in 0..<3_000 {
            let number = try PhoneNumber.parse("+1312\(String(format: "%07d", 2_000_000 + index))")
            let time = Fixtures.monday.addingTimeInterval(Double(index))
            let message = Message(id: "SMcrash\(index)", direction: .inbound, time: time, from: number, to: Fixtures.business, agent: nil,
                                  gateway: "sandbox", gatewayID: "SMcrash\(index)", status: .received, segments: 1, encoding: "GSM-7", body: "hello \(index)")
            files[MailboxLayout.messagePath(number, time: time, id: message.id)] = message.fileData()
        }
        _ = try store.commit { _ in StoreChange(files: files, message: "Import\n", author: Fixtures.agent, time: Fixtures.monday) }
        try FileManager.default.removeItem(atPath: directory.path + "/.git/parley/index.sqlite")
        _ = mailbox

        for delay in [150, 400, 900] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: ParleyBinary.path)
            process.arguments = ["inbox", "--limit", "0"]
            process.currentDirectoryURL = URL(fileURLWithPath: directory.path)
            process.environment = ParleyBinary.environment
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            try await Task.sleep(nanoseconds: UInt64(delay) * 1_000_000)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let after = try ParleyBinary.run(["inbox", "--limit", "0", "--json"], in: directory.path)
            #expect(after.status == 0)
            #expect(after.standardOutput.components(separatedBy: "\"waiting\" : \"customer\"").count - 1 == 3_000, "after a kill at \(delay) ms")
        }
    }
}
