import Foundation
import ParleyCore
import ParleyGateways
import ParleyTestSupport
import Testing

/// Format 2's promise: a person committing on the checked-out branch while
/// `parley serve` ingests on the same clone can never remove a record.
@Suite(.serialized) struct RecordsBranchRaceTests {
    @Test func aPersonCommittingInALoopWhileTheServerIngestsLosesNoRecord() async throws {
        let harness = try ServerHarness()
        try await harness.start()
        defer { harness.stop() }
        let count = 1_500
        let repo = harness.directory.path
        let personDone = ManagedFlag()
        let personCommits = ManagedCounter()
        // A thread of its own: a loop of blocking git calls must not starve Swift's cooperative pool.
        let person = Thread {
            while !personDone.isSet {
                let tone = repo + "/tone.md"
                let text = (try? String(contentsOfFile: tone, encoding: .utf8)) ?? ""
                try? (text + "\n<!-- edit \(personCommits.value) -->\n").write(toFile: tone, atomically: true, encoding: .utf8)
                if (try? Shell.git(["commit", "-qam", "Tone edit \(personCommits.value)"], in: repo))?.status == 0 { personCommits.increment() }
            }
            personCommits.finish()
        }
        person.start()
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for worker in 0..<16 {
                group.addTask {
                    var ok = 0
                    for index in stride(from: worker, to: count, by: 16) {
                        let parameters = [("MessageSid", "SMrace\(index)"), ("From", String(format: "+1312555%04d", 1000 + index % 97)),
                                          ("To", "+13125550100"), ("Body", "race \(index)")]
                        // A 500 ("not stored; retry") is retried, as Twilio does: the
                        // person's `git commit` may run `git gc --auto`, whose locks
                        // can make a commit fail. What counts is the 200s.
                        for _ in 0..<3 where try await harness.postTwilio("/twilio/inbound", parameters, official: false).0 == 200 {
                            ok += 1
                            break
                        }
                    }
                    return ok
                }
            }
            return try await group.reduce(0, +)
        }
        personDone.set()
        while !personCommits.isFinished { try await Task.sleep(nanoseconds: 20_000_000) }
        let commits = personCommits.value
        #expect(statuses == count)
        #expect(commits > 5, "the person committed while the server ingested")
        let stored = try Shell.git(["ls-tree", "-r", "--name-only", "mailbox", "conversations"], in: repo).standardOutput
            .split(separator: "\n").filter { $0.contains("/messages/") }
        #expect(stored.count == count)
        #expect(try Shell.git(["log", "--diff-filter=D", "--name-only", "--format=", "mailbox"], in: repo).standardOutput.isEmpty)
        #expect(try Shell.git(["log", "--diff-filter=D", "--name-only", "--format=", "HEAD"], in: repo).standardOutput.isEmpty)
        let fsck = try Shell.git(["fsck", "--strict", "--no-dangling"], in: repo)
        #expect(fsck.status == 0, "git fsck: \(fsck.standardOutput) \(fsck.standardError)")
    }
}

/// A count one thread keeps and another reads.
final class ManagedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0, finished = false
    var value: Int { lock.withLock { count } }
    var isFinished: Bool { lock.withLock { finished } }
    func increment() { lock.withLock { count += 1 } }
    func finish() { lock.withLock { finished = true } }
}

/// A flag one task sets and another polls.
final class ManagedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
