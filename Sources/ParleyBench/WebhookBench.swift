import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import ParleyCore
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
        let path = root + "/webhooks.git"
        try? FileManager.default.removeItem(atPath: path)
        let store = try GitMailboxStore.create(at: path, bare: true)
        try GitMailboxStore.enableDurableWrites()
        let config = MailboxConfig(businessName: "Bench Dental", businessNumber: try PhoneNumber.parse("+13125550100"), timeZone: "America/Chicago")
        let agent = Agent(handle: "server", name: "Parley server", email: "server@parley.invalid")
        let mailbox = try Mailbox.initialize(store: store, config: config, skeleton: [:], clock: .system, agent: agent)
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.webhooks = [KannelWebhooks(secret: "bench")]
        configuration.flushInterval = 0
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = ParleyServer.buildApplication(mailbox: mailbox, gateway: nil, configuration: configuration, logger: logger) { continuation.yield($0) }
        let server = Task { try await app.runService(gracefulShutdownSignals: []) }
        var port = 0
        for await bound in stream { port = bound; break }
        defer { server.cancel() }

        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(
            connectionPool: .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: options.concurrency)))
        let total = options.webhooks, concurrency = options.concurrency, boundPort = port
        let counter = Counter()
        log("posting \(total) webhooks with \(options.concurrency) concurrent clients to 127.0.0.1:\(port) (fsync on)")
        let start = Date()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    var index = worker
                    while index < total {
                        var request = HTTPClientRequest(url: "http://127.0.0.1:\(boundPort)/kannel/inbound?k=bench&from=%2B1312\(2_000_000 + index % 5_000)&id=bench-\(index)")
                        request.method = .POST
                        request.body = .bytes(ByteBuffer(string: "Benchmark message \(index): can I move my appointment?"))
                        let response = try await client.execute(request, timeout: .seconds(60))
                        guard response.status == .ok else { throw CocoaError(.fileWriteUnknown) }
                        await counter.add()
                        index += concurrency
                    }
                }
            }
            try await group.waitForAll()
        }
        let seconds = Date().timeIntervalSince(start)
        try await client.shutdown()
        let commits = try store.history(touching: [], limit: nil).count - 1
        let acknowledged = await counter.value
        var rows = [("inbound webhooks acknowledged durably (fsync), \(options.concurrency) concurrent clients",
                     String(format: "%.0f/s (%d in %.1f s, %d group commits, %.1f messages per commit)", Double(acknowledged) / seconds, acknowledged, seconds, commits, Double(acknowledged) / Double(max(commits, 1))))]

        // The same work one commit per message through libgit2, fsync on.
        let single = 200
        let singleStart = Date()
        for index in 0..<single {
            _ = try mailbox.ingest([.inbound(InboundMessage(from: try PhoneNumber.parse("+1312\(3_000_000 + index)"), to: nil, body: "one at a time \(index)",
                                                            gateway: "kannel", gatewayID: "single-\(index)"))])
        }
        let singleSeconds = Date().timeIntervalSince(singleStart)
        rows.append(("one libgit2 commit per message, fsync on (no batching)", String(format: "%.0f/s (%d in %.1f s)", Double(single) / singleSeconds, single, singleSeconds)))
        return rows
    }
}

actor Counter {
    private(set) var value = 0
    func add() { value += 1 }
}
