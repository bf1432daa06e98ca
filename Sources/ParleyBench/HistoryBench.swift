import Foundation
import ParleyCore
import ParleyGitStore

/// `--only history`: a hub with a year of history in the real commit
/// pattern (HistoryGenerator), then what a team member lives with: `parley
/// clone`, the first and the warm `inbox`, `thread`, `search`, `log`, a
/// write, and the `inbox` right after a sync brought in 1,000 commits.
/// Everything is a whole `parley` process, as a person runs it.
struct HistoryBench {
    let bench: Bench
    var options: BenchOptions { bench.options }

    /// Measures and hands each row to `report` as soon as it is known, so
    /// a long run that stops early still leaves its figures.
    func run(report: (String, String) -> Void) async throws {
        let hub = bench.root + "/hub.git", clone = bench.root + "/clone", writer = bench.root + "/writer"
        for path in [hub, clone, writer] { try? FileManager.default.removeItem(atPath: path) }
        let messages = try generateHub(at: hub, report: report)
        report("packed size as fast-import wrote it", try packedSize(hub, messages: messages))
        let repack = try seconds { try bench.shell(["git", "--git-dir", hub, "repack", "-a", "-d", "-q"]) }
        report("packed size after `git repack -a -d` (\(Int(repack)) s)", try packedSize(hub, messages: messages))
        bench.settle()
        try await measureClone(of: hub, clone: clone, writer: writer, report: report)
    }

    /// `--only report`: `parley report` on the generated hub, the first time
    /// (which reads every conversation's files into the index) and warm;
    /// then `parley audit`, which also walks every commit of the history.
    func runReport(report: (String, String) -> Void) throws {
        let hub = bench.root + "/hub.git"
        try? FileManager.default.removeItem(atPath: hub)
        _ = try generateHub(at: hub, report: report)
        bench.settle()
        let parley = bench.parleyBinary
        let first = try seconds { try bench.shell([parley, "report", "--repo", hub]) }
        report("first `parley report` (reads every message, receipt and event into the index)", String(format: "%.0f s", first))
        report("`parley report`, warm", try wholeProcess([parley, "report", "--repo", hub], runs: 5))
        report("`parley report --by agent --json`, warm", try wholeProcess([parley, "report", "--by", "agent", "--json", "--repo", hub], runs: 5))
        report("`parley report --by week --csv`, warm", try wholeProcess([parley, "report", "--by", "week", "--csv", "--repo", hub], runs: 5))
        let html = bench.root + "/report.html"
        report("`parley report --html FILE`, warm", try wholeProcess([parley, "report", "--html", html, "--repo", hub], runs: 5))
        // An audit with findings exits 1: only a higher status is a failure here.
        let audit = ["sh", "-c", "\"$0\" audit --json --repo \"$1\" > \"$2\"; [ $? -le 1 ]", parley, hub, bench.root + "/audit.json"]
        report("`parley audit` (walks every commit, replays every message)", try wholeProcess(audit, runs: 3))
    }

    /// `--dir`'s hub with a year of history, packed: generated unless
    /// `--reuse` finds one there (at 1M messages generating it takes half
    /// an hour, and the question is what one operation costs on top of it).
    func packedHub(report: (String, String) -> Void) throws -> String {
        let hub = bench.root + "/hub.git"
        if !options.reuse || !FileManager.default.fileExists(atPath: hub) {
            try? FileManager.default.removeItem(atPath: hub)
            _ = try generateHub(at: hub, report: report)
            try bench.shell(["git", "--git-dir", hub, "repack", "-a", "-d", "-q"])
            bench.settle()
        }
        return hub
    }

    /// A bare hub with a year of history written by git fast-import; returns how many messages it holds.
    func generateHub(at hub: String, report: (String, String) -> Void) throws -> Int {
        let store = try GitMailboxStore.create(at: hub, bare: true)
        let config = MailboxConfig(businessName: "Bright Smile Dental", businessNumber: bench.business, timeZone: "America/Chicago")
        _ = try Mailbox.initialize(store: store, config: config, skeleton: DefaultSkeleton.mailboxFiles,
                                   clock: ParleyClock(fixed: HistoryGenerator.start), agent: bench.agent)
        let generator = HistoryGenerator(conversations: options.conversations,
            messagesPerConversation: max(1, options.messages / options.conversations),
                                         business: bench.business, number: bench.number, log: bench.log)
        let parent = try? bench.output(["git", "--git-dir", hub, "rev-parse", "refs/heads/\(MailboxLayout.recordsBranch)"])
        var commits = 0
        let generation = try seconds { commits = try generator.write(into: hub, parent: parent?.trimmingCharacters(in: .whitespacesAndNewlines)) }
        let messages = generator.conversations * generator.messagesPerConversation
        report("history generated (git fast-import)", String(format: "%d commits, %d messages, %d receipts in %.0f s", commits, messages,
                                                                  (messages + 1) / 2 * 3, generation))
        return messages
    }

    private func measureClone(of hub: String, clone: String, writer: String, report: (String, String) -> Void) async throws {
        let parley = bench.parleyBinary
        let cloning = try seconds { try bench.shell([parley, "clone", hub, clone]) }
        report("`parley clone` from the hub (same machine)", String(format: "%.1f s", cloning))
        report("`git status` in the clone", try bench.timed { try bench.shell(["git", "-C", clone, "status", "--porcelain"]) })
        let cold = try seconds { try bench.shell([parley, "inbox", "--repo", clone]) }
        report("first `parley inbox` (builds the index)", String(format: "%.1f s", cold))
        report("`parley inbox --limit 20` (a screenful), warm", try wholeProcess([parley, "inbox", "--limit", "20", "--repo", clone]))
        report("`parley inbox --all` piped, warm", try wholeProcess([parley, "inbox", "--all", "--repo", clone], runs: 3))
        let someone = bench.number(options.conversations / 2).e164
        report("`parley thread NUMBER`", try wholeProcess([parley, "thread", someone, "--repo", clone]))
        report("`parley log NUMBER --limit 20`", try wholeProcess([parley, "log", someone, "--limit", "20", "--repo", clone], runs: 3))
        report("`parley log --limit 20`", try wholeProcess([parley, "log", "--limit", "20", "--repo", clone]))
        let firstSearch = try seconds { try bench.shell([parley, "search", "insurance", "--repo", clone]) }
        report("first `parley search` (reads every message's text)", String(format: "%.0f s", firstSearch))
        for words in ["insurance", "friday morning", "crown", "\(someone) thanks"] {
            report("`parley search \(words)`", try wholeProcess([parley, "search", words, "--repo", clone]))
        }
        report("one `parley receive` in the clone", try bench.processWrite(clone))

        // A teammate's 1,000 commits reach the hub; this clone, with a commit
        // of its own, syncs (fetch, merge, push), then lists.
        try bench.shell([parley, "clone", hub, writer])
        guard let writerStore = try GitMailboxStore.open(at: writer) else { throw ParleyError.noMailbox(writer) }
        let other = try Mailbox.open(store: writerStore, clock: .system, agent: bench.agent, location: writer)
        for index in 0..<1_000 {
            _ = try await other.inbound.receive(from: bench.number((index * 7_919) % options.conversations), body: "After the sync \(index)",
                                        gateway: "sandbox", gatewayID: "AFTER\(index)")
        }
        let push = try seconds { try bench.shell([parley, "sync", "--repo", writer]) }
        report("`parley sync` pushing 1,000 commits", String(format: "%.1f s", push))
        let sync = try seconds { try bench.shell([parley, "sync", "--repo", clone]) }
        report("`parley sync` merging those 1,000 commits and pushing", String(format: "%.1f s", sync))
        let afterSync = try seconds { try bench.shell([parley, "inbox", "--limit", "20", "--repo", clone]) }
        report("`parley inbox` right after that sync", String(format: "%.0f ms", afterSync * 1000))
    }

    private func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = Date()
        try body()
        return Date().timeIntervalSince(start)
    }

    private func wholeProcess(_ arguments: [String], runs: Int = 7) throws -> String {
        var times: [Double] = []
        for _ in 0..<runs { times.append(try seconds { try bench.shell(arguments) } * 1000) }
        times.sort()
        return String(format: "%.0f ms (median of %d)", times[runs / 2], runs)
    }

    private func packedSize(_ gitDirectory: String, messages: Int) throws -> String {
        let counts = try bench.output(["git", "--git-dir", gitDirectory, "count-objects", "-v"])
        let kilobytes = counts.split(separator: "\n").first { $0.hasPrefix("size-pack:") }.flatMap { Int($0.split(separator: " ").last ?? "") } ?? 0
        return String(format: "%.0f MiB, %.0f bytes a message", Double(kilobytes) / 1024, Double(kilobytes) * 1024 / Double(max(1, messages)))
    }
}
