import Foundation
import ParleyCore
import ParleyGitStore
import ParleyIndex
import ParleyRendering

/// The benchmark scenario: generate, then time commits, thread and inbox,
/// and the `git add && git commit` baseline.
struct Bench {
    let options: BenchOptions
    let root: String
    let agent = Agent(handle: "bench", name: "Parley Bench", email: "bench@parley.invalid")
    let business = try! PhoneNumber.parse("+13125550100")
    var rows: [(String, String)] = []

    init(_ options: BenchOptions) throws {
        self.options = options
        root = options.directory ?? NSTemporaryDirectory() + "parley-bench-\(getpid())"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    func log(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }

    func number(_ index: Int) -> PhoneNumber {
        // 10,000 distinct numbers in the 555-01XX-free space: +1 312 2XX XXXX.
        try! PhoneNumber.parse("+1312\(String(format: "%07d", 2_000_000 + index))")
    }

    func run() async throws {
        let size = "\(options.conversations) conversations, \(options.messages) messages"
        switch options.only {
        case "history":
            log("generating a year of history: \(options.conversations) conversations / \(options.messages) messages in \(root)")
            try await table("measure (\(size), one commit per operation)") { row in try await HistoryBench(bench: self).run(report: row) }
        case "report":
            log("generating a year of history for the report: \(options.conversations) conversations / \(options.messages) messages in \(root)")
            try await table("measure (\(size))") { row in try HistoryBench(bench: self).runReport(report: row) }
        case "sync": try await table("measure (\(size))") { row in try await SyncBench(bench: self).run(report: row) }
        case "erase": try await table("measure (\(size))") { row in try EraseBench(bench: self).run(report: row) }
        case "ingest":
            // The server's writer alone, for profiling (perf): batches of 32, fsync on, no HTTP.
            try await table { row in for (name, figure) in try WebhookBench(options: options, root: root, log: log).ingestOnly() { row(name, figure) } }
        case "signatures": await table { row in for (name, figure) in SignatureBench(rounds: options.samples * 100).run() { row(name, figure) } }
        case "webhooks": try await table { row in for (name, figure) in try await WebhookBench(options: options, root: root, log: log).run() { row(name, figure) } }
        default:
            log("generating \(options.conversations) conversations / \(options.messages) messages in \(root)")
            if options.only == "clone" { try runClone() } else { try await runAll() }
        }
    }

    /// Prints a table of figures a row at a time, unbuffered, so the rows of
    /// a run that stops early are kept.
    private func table(_ heading: String = "measure", _ fill: (_ row: (String, String) -> Void) async throws -> Void) async rethrows {
        let line = { (text: String) in FileHandle.standardOutput.write(Data((text + "\n").utf8)) }
        line("| \(heading) | figure |")
        line("| --- | --- |")
        try await fill { name, figure in line("| \(name) | \(figure) |") }
    }

    /// The large run: a person's clone only, what format 2 sets targets for.
    private func runClone() throws {
        var results: [(String, String)] = []
        do {
            let clone = try generate(at: root + "/worktree", bare: false)
            settle()
            results.append(("one `parley receive` in the clone, whole process, median", try processWrite(root + "/worktree")))
            results.append(("`git status` in the clone", try timed { try shell(["git", "-C", root + "/worktree", "status", "--porcelain"]) }))
            results.append(("`thread` (load + render one conversation), median / p95", try threadLatency(clone)))
            results.append(("index rebuild + `inbox` (cold: index cleared)", try inboxLatency(clone, cold: true)))
            results.append(("`inbox`, warm, first screenful (20)", try inboxLatency(clone, cold: false, limit: 20)))
            results.append(("`inbox`, warm, every conversation", try inboxLatency(clone, cold: false)))
            results.append(("`search` (FTS5; first one indexes every message), median / p95", try searchLatency(clone)))
        }
        print("| measure (\(options.conversations) conversations, \(options.messages) messages) | figure |")
        print("| --- | --- |")
        for (name, figure) in results { print("| \(name) | \(figure) |") }
    }

    /// Every measure on a bare repository and a clone with a work tree.
    private func runAll() async throws {
        var results: [(String, String)] = []
        let bare = try generate(at: root + "/bare.git", bare: true)
        if options.only == "commits" {
            settle()
            print("| bare commits | \(try await commitRate(bare)) |")
            return
        }
        let worktree = try generate(at: root + "/worktree", bare: false)
        settle()

        results.append(("message commits/s, work tree clone (index + files updated)",
            try await commitRate(worktree, count: min(options.commits, 200))))
        results.append(("message commits/s, bare repository (server mode)", try await commitRate(bare)))
        try GitMailboxStore.setDurableWrites(true)
        results.append(("message commits/s, bare, fsync on", try await commitRate(bare, count: max(100, options.commits / 5))))
        results.append(("`thread` (load + render one conversation), median / p95", try threadLatency(worktree)))
        results.append(("index rebuild + `inbox` (cold: index cleared)", try inboxLatency(worktree, cold: true)))
        results.append(("`inbox`, warm, every conversation", try inboxLatency(worktree, cold: false)))
        results.append(("`inbox`, warm, first screenful (20)", try inboxLatency(worktree, cold: false, limit: 20)))
        results.append(("`search` (FTS5), median / p95", try searchLatency(worktree)))
        results.append(("one `parley receive` in the clone, whole process, median", try processWrite(root + "/worktree")))
        results.append(("`git status` in the clone", try timed { try shell(["git", "-C", root + "/worktree", "status", "--porcelain"]) }))
        results.append(("`git add && git commit` per message (baseline)", try gitBaseline(root + "/worktree")))

        print("| measure (\(options.conversations) conversations, \(options.messages) messages) | figure |")
        print("| --- | --- |")
        for (name, figure) in results { print("| \(name) | \(figure) |") }
    }

    /// Builds the synthetic mailbox in batches of one commit each.
    func generate(at path: String, bare: Bool) throws -> Mailbox {
        try? FileManager.default.removeItem(atPath: path)
        let store = try GitMailboxStore.create(at: path, bare: bare)
        let clock = ParleyClock(fixed: Timestamp.parse("2026-03-01T12:00:00Z")!)
        let config = MailboxConfig(businessName: "Bench Dental", businessNumber: business, timeZone: "America/Chicago")
        let mailbox = try Mailbox.initialize(store: store, config: config, skeleton: DefaultSkeleton.mailboxFiles, clock: clock, agent: agent)
        let perConversation = max(1, options.messages / options.conversations)
        let batch = 1_000
        let start = Date()
        for first in stride(from: 0, to: options.conversations, by: batch) {
            var files: [String: Data?] = [:]
            for index in first..<min(first + batch, options.conversations) {
                let customer = number(index)
                files[MailboxLayout.contactPath(customer)] = Contact(number: customer, name: "Customer \(index)",
                    timeZone: "America/Chicago").fileData()
                for step in 0..<perConversation {
                    let time = Date(timeIntervalSince1970: 1_772_000_000 + Double(index * 60 + step * 600))
                    let inbound = step % 2 == 1
                    let id = ULID(time: time).string
                    let body = inbound ? "Question \(step) from customer \(index): could we move the appointment?" : "Reply \(step): Thursday 3:30 "
                        + "pm works. - Bench Dental"
                    let message = Message(
                        id: id, direction: inbound ? .inbound : .outbound, time: time, from: inbound ? customer : business,
                        to: inbound ? business : customer, agent: inbound ? nil : "bench", gateway: "sandbox", gatewayID: inbound ? nil : "SBX\(id)",
                        status: inbound ? .received : .delivered,
                        segments: 1, encoding: "GSM-7", body: body)
                    files[MailboxLayout.messagePath(customer, time: time, id: id)] = message.fileData()
                }
            }
            _ = try store.commit { _ in StoreChange(files: files, message: "Generate conversations \(first)…\n", author: agent, time: Date()) }
            log("  \(path): \(min(first + batch, options.conversations)) conversations (\(Int(Date().timeIntervalSince(start)))s)")
        }
        // A maintained mailbox is packed (git gc / git maintenance); loose
        // objects from bulk generation would otherwise dominate every read
        // and make `git commit` run gc --auto each time.
        try shell(bare ? ["git", "--git-dir", path, "gc", "-q"] : ["git", "-C", path, "gc", "-q"])
        return mailbox
    }

    /// ext4 avoids reusing inodes deleted in the last ~30 s by scanning for
    /// them, which makes every file creation right after `git gc` (which
    /// deletes thousands of loose objects) several times slower. Measuring
    /// then would time the filesystem's cool-down, not Parley.
    func settle() {
        log("letting the filesystem settle after git gc (35 s)")
        Thread.sleep(forTimeInterval: 35)
    }

    func commitRate(_ mailbox: Mailbox, count: Int? = nil) async throws -> String {
        let count = count ?? options.commits
        let start = Date()
        for index in 0..<count {
            let customer = number((index * 7919) % options.conversations)
            _ = try await mailbox.inbound.receive(from: customer, body: "Bench message \(index)", gateway: "sandbox",
                gatewayID: "BENCH\(UUID().uuidString.prefix(8))\(index)")
        }
        let seconds = Date().timeIntervalSince(start)
        return String(format: "%.0f commits/s (%d commits in %.1f s)", Double(count) / seconds, count, seconds)
    }

    func threadLatency(_ mailbox: Mailbox) throws -> String {
        var times: [Double] = []
        let renderer = ThreadRenderer(viewerZone: TimeZone(identifier: "America/Chicago")!, style: .plain, businessName: "Bench")
        for index in 0..<options.samples {
            let start = Date()
            let text = renderer.render(try mailbox.conversations.conversation(number((index * 104_729) % options.conversations)))
            precondition(!text.isEmpty)
            times.append(Date().timeIntervalSince(start) * 1000)
        }
        times.sort()
        return String(format: "%.1f ms / %.1f ms", times[times.count / 2], times[times.count * 95 / 100])
    }

    func inboxLatency(_ mailbox: Mailbox, cold: Bool, limit: Int? = nil) throws -> String {
        var times: [Double] = []
        let runs = cold ? 3 : 10
        for _ in 0..<runs {
            if cold { try mailbox.store.index().clear() }
            let start = Date()
            let inbox = try mailbox.conversations.inbox(limit: limit)
            precondition(!inbox.entries.isEmpty)
            _ = InboxRenderer(style: .plain).render(inbox)
            times.append(Date().timeIntervalSince(start) * 1000)
        }
        times.sort()
        return String(format: "%.0f ms (median of %d)", times[times.count / 2], runs)
    }

    func searchLatency(_ mailbox: Mailbox) throws -> String {
        let first = Date()
        _ = try MessageSearch(text: "appointment", limit: 20).results(in: mailbox)
        let indexing = Date().timeIntervalSince(first) * 1000
        var times: [Double] = []
        for index in 0..<options.samples {
            let start = Date()
            let results = try MessageSearch(text: ["appointment", "thursday", "customer \(index)", "question 3"][index % 4],
                limit: 20).results(in: mailbox)
            precondition(!results.hits.isEmpty)
            times.append(Date().timeIntervalSince(start) * 1000)
        }
        times.sort()
        return String(format: "%.1f ms / %.1f ms (the first, which indexed every message: %.0f ms)", times[times.count / 2],
            times[times.count * 95 / 100], indexing)
    }

    /// A whole `parley receive` process, as a person or a script runs it.
    func processWrite(_ path: String) throws -> String {
        let binary = parleyBinary
        guard FileManager.default.isExecutableFile(atPath: binary) else { return "— (build the parley product beside parley-bench)" }
        var times: [Double] = []
        for index in 0..<11 {
            let start = Date()
            try shell([binary, "receive", "--repo", path, "--from", number(index * 31).e164, "--body", "process \(index)", "--id",
                "PROC\(getpid())x\(index)"])
            times.append(Date().timeIntervalSince(start) * 1000)
        }
        times.sort()
        return String(format: "%.0f ms", times[times.count / 2])
    }

    func timed(_ body: () throws -> Void) throws -> String {
        var times: [Double] = []
        for _ in 0..<5 {
            let start = Date()
            try body()
            times.append(Date().timeIntervalSince(start) * 1000)
        }
        times.sort()
        return String(format: "%.0f ms (median of 5)", times[2])
    }

    func gitBaseline(_ path: String) throws -> String {
        let count = options.baselineCommits
        let start = Date()
        for index in 0..<count {
            let relative = "conversations/bench/baseline-\(index).md"
            try FileManager.default.createDirectory(atPath: path + "/conversations/bench", withIntermediateDirectories: true)
            try Data("---\nid: B\(index)\n---\nbaseline \(index)\n".utf8).write(to: URL(fileURLWithPath: path + "/" + relative))
            try shell(["git", "-C", path, "add", relative])
            try shell(["git", "-C", path, "-c", "user.name=Bench", "-c", "user.email=b@example.com", "commit", "-qm", "baseline \(index)"])
        }
        let seconds = Date().timeIntervalSince(start)
        return String(format: "%.0f commits/s (%d commits in %.1f s)", Double(count) / seconds, count, seconds)
    }

    /// The `parley` built beside this benchmark.
    var parleyBinary: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("parley").path
    }

    /// Runs a command with its output discarded; throws when it fails.
    func shell(_ arguments: [String]) throws {
        _ = try run(arguments, capture: false)
    }

    /// Runs a command and returns what it printed.
    func output(_ arguments: [String]) throws -> String {
        try run(arguments, capture: true)
    }

    private func run(_ arguments: [String], capture: Bool) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = capture ? pipe : FileHandle.nullDevice
        try process.run()
        let data = capture ? pipe.fileHandleForReading.readDataToEndOfFile() : Data()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            log("failed: \(arguments.joined(separator: " "))")
            throw CocoaError(.fileWriteUnknown)
        }
        return String(decoding: data, as: UTF8.self)
    }
}
