import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import ParleyCore
import ParleyTestSupport
import ParleyGateways
import ParleyGitStore
import ParleyServer

/// Inbound webhooks acknowledged durably per second: the real server on
/// loopback (fsync on), many concurrent clients posting Kannel inbound
/// messages, every 200 only after its group commit is on disk. Next to it,
/// the same messages committed one by one through libgit2 with fsync, and
/// through `git add && git commit`.
struct WebhookBench {
    let options: BenchOptions
    let root: String
    let log: (String) -> Void

    func run() async throws -> [(String, String)] {
        let (store, mailbox) = try openMailbox()
        try GitMailboxStore.setDurableWrites(true)
        store.mergePacksInBackground()  // as `parley serve` does
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.webhooks = [KannelWebhooks(secret: "bench")]
        configuration.flushInterval = 0
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = ParleyServer.buildApplication(mailbox: mailbox, gateway: nil, configuration: configuration,
            logger: logger) { continuation.yield($0) }
        let server = Task { try await app.runService(gracefulShutdownSignals: []) }
        var port = 0
        for await bound in stream { port = bound; break }
        defer { server.cancel() }

        // The load generator is another process, so the figures are the server's alone.
        log("posting \(options.webhooks) webhooks with \(options.concurrency) concurrent clients from a separate process to 127.0.0.1:\(port) "
            + "(fsync on)")
        let tipBefore = try store.history(touching: [], limit: 1).first?.id
        let cpuBefore = Self.cpuSeconds()
        let start = Date()
        let generator = Process()
        generator.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        generator.arguments = ["--load", "http://127.0.0.1:\(port)", "--webhooks", String(options.webhooks), "--concurrency",
            String(options.concurrency)]
        try generator.run()
        generator.waitUntilExit()
        let seconds = Date().timeIntervalSince(start)
        let serverCPU = Self.cpuSeconds() - cpuBefore
        guard generator.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
        // The group commits of this run: the newest ones, down to the tip before it (a served mailbox has its history below).
        let commits = try store.history(touching: [], limit: options.webhooks + 1).prefix { $0.id != tipBefore }.count
        let acknowledged = options.webhooks
        var rows = [
            ("inbound webhooks acknowledged durably (fsync), \(options.concurrency) concurrent clients in another process",
             String(format: "%.0f/s (%d in %.1f s, %d group commits, %.1f messages per commit)", Double(acknowledged) / seconds, acknowledged,
                 seconds,
                    commits, Double(acknowledged) / Double(max(commits, 1)))),
            ("server CPU per acknowledged webhook (user + system)", String(format: "%.2f ms", serverCPU * 1000 / Double(acknowledged))),
        ]

        // The same work one commit per message through libgit2, fsync on.
        let single = 200
        let singleStart = Date()
        for index in 0..<single {
            _ = try mailbox.inbound.ingest([.inbound(InboundMessage(from: try PhoneNumber.parse("+1312\(3_000_000 + index)"), to: nil,
                body: "one at a time \(index)",
                                                            gateway: "kannel", gatewayID: "single-\(index)"))])
        }
        let singleSeconds = Date().timeIntervalSince(singleStart)
        rows.append(("one libgit2 commit per message, fsync on (no batching)",
            String(format: "%.0f/s (%d in %.1f s)", Double(single) / singleSeconds, single, singleSeconds)))
        return rows
    }
}

extension WebhookBench {
    /// A new, empty bare mailbox, or with `--mailbox` the clone given
    /// (use a fresh clone each time: the messages' gateway ids repeat).
    private func openMailbox() throws -> (GitMailboxStore, Mailbox) {
        let agent = Agent(handle: "server", name: "Parley server", email: "server@parley.invalid")
        if let path = options.mailbox {
            guard let store = try GitMailboxStore.open(at: path) else { throw ParleyError.noMailbox("\(path) is not a Git repository") }
            log("serving the mailbox at \(path)")
            return (store, try Mailbox.open(store: store, clock: .system, agent: agent, location: path))
        }
        let path = root + "/webhooks.git"
        try? FileManager.default.removeItem(atPath: path)
        let store = try GitMailboxStore.create(at: path, bare: true)
        let config = MailboxConfig(businessName: "Bench Dental", businessNumber: try PhoneNumber.parse("+13125550100"), timeZone: "America/Chicago")
        return (store, try Mailbox.initialize(store: store, config: config, skeleton: [:], clock: .system, agent: agent))
    }

    /// `options.webhooks` inbound messages through `Mailbox.ingest` in batches of 32, as the group commit makes them:
    /// in a Git repository with fsync, then in memory (the fold alone, without Git).
    func ingestOnly() throws -> [(String, String)] {
        let path = root + "/ingest.git"
        try? FileManager.default.removeItem(atPath: path)
        try GitMailboxStore.setDurableWrites(true)
        let store = try GitMailboxStore.create(at: path, bare: true)
        store.mergePacksInBackground()
        return [
            ("`Mailbox.ingest`, batches of 32, Git with fsync (packs merged in the background)", try ingestRate(into: store)),
            ("`Mailbox.ingest`, batches of 32, in memory (no Git)", try ingestRate(into: InMemoryStore())),
        ]
    }

    private func ingestRate(into store: any MailboxStore) throws -> String {
        let config = MailboxConfig(businessName: "Bench Dental", businessNumber: try PhoneNumber.parse("+13125550100"), timeZone: "America/Chicago")
        let mailbox = try Mailbox.initialize(store: store, config: config, skeleton: [:], clock: .system,
                                             agent: Agent(handle: "server", name: "Parley server", email: "server@parley.invalid"))
        let cpuBefore = Self.cpuSeconds()
        var writerCPU = 0.0
        let start = Date()
        for first in stride(from: 0, to: options.webhooks, by: 32) {
            let items = try (first..<min(first + 32, options.webhooks)).map { index in
                IngestItem.inbound(InboundMessage(from: try PhoneNumber.parse("+1312\(2_000_000 + index % 5_000)"), to: nil,
                                                  body: "Benchmark message \(index): can I move my "
                                                      + "appointment?", gateway: "kannel", gatewayID: "bench-\(index)"))
            }
            let before = Self.threadCPUSeconds()
            _ = try mailbox.inbound.ingest(items)
            writerCPU += Self.threadCPUSeconds() - before
        }
        let seconds = Date().timeIntervalSince(start), cpu = Self.cpuSeconds() - cpuBefore
        return String(format: "%.0f messages/s; writer %.2f ms CPU per message (process, with background pack merges: %.2f ms)",
                      Double(options.webhooks) / seconds, writerCPU * 1000 / Double(options.webhooks), cpu * 1000 / Double(options.webhooks))
    }

    /// The calling thread's CPU time so far: the writer's own share, without background work.
    static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1_000_000_000
    }

    /// This process's CPU time so far, user and system.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1_000_000 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
