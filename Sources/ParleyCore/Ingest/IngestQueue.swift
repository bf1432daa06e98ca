import Foundation

/// Group commit for webhooks. Each request waits here; the single writer
/// (`run`) takes everything that arrived while the previous commit was
/// being made and writes it as one commit (fsynced when the store is
/// durable), then answers every waiting request. A webhook is acknowledged
/// only after its commit is durable; if the commit fails, every request in
/// it gets the error, and the provider retries.
///
/// Automatic keyword replies are part of the same pipeline: the commit that
/// stores a STOP plans its confirmation, a child task of `run` submits it
/// once that commit is durable, and its outcome is one more item of the next
/// group commit. `finish` stops intake; `run` then writes what is queued,
/// waits for the replies in flight, records them and returns, so nothing
/// outlives a graceful shutdown.
public actor IngestQueue {
    /// What became of a reply nobody waits for: its recorded outcome, or why it could not be recorded.
    public typealias ReplyObserver = @Sendable (Result<IngestOutcome, ParleyError>) -> Void

    /// What one group commit wrote: how many items, and how long it took.
    public typealias CommitObserver = @Sendable (_ items: Int, _ duration: Duration) -> Void

    private var mailbox: Mailbox
    private let gateway: (any Gateway)?
    private let observeReply: ReplyObserver
    private let observeCommit: CommitObserver
    private var pending: [(item: IngestItem, waiter: CheckedContinuation<IngestOutcome, any Error>?)] = []
    private var finished = false
    private let wakeUps: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation
    /// Commits run on their own thread: libgit2 and fsync block.
    private let writer = DispatchQueue(label: "parley.ingest.writer")

    /// `replyingVia` nil plans no automatic replies (no gateway, or replies turned off).
    public init(mailbox: Mailbox, replyingVia gateway: (any Gateway)?, observeReply: @escaping ReplyObserver = { _ in },
                observeCommit: @escaping CommitObserver = { _, _ in }) {
        self.mailbox = mailbox
        self.gateway = gateway
        self.observeReply = observeReply
        self.observeCommit = observeCommit
        (wakeUps, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// The gateway automatic replies go through: none when the settings turn them off.
    private var replyGateway: (any Gateway)? { mailbox.config.compliance.keywordReplies ? gateway : nil }

    /// Uses `mailbox` (its settings read again) from the next group commit on; the commit in progress finishes with the old one.
    public func reload(_ mailbox: Mailbox) {
        self.mailbox = mailbox
    }

    /// Queues `item` for the next group commit and returns its outcome once that commit is durable.
    public func submit(_ item: IngestItem) async throws -> IngestOutcome {
        guard !finished else { throw ParleyError.storage("the server is shutting down; not stored") }
        return try await withCheckedThrowingContinuation { continuation in
            pending.append((item, continuation))
            wake.yield()
        }
    }

    /// Stops taking new items; `run` finishes what is queued and returns.
    public func finish() {
        finished = true
        wake.finish()
    }

    /// The single writer; returns after `finish`, once everything queued and every reply in flight is recorded.
    public func run() async {
        await withDiscardingTaskGroup { group in
            for await _ in wakeUps {
                let plans = await writePending()
                guard !plans.isEmpty, let gateway = replyGateway else { continue }
                let replies = KeywordReplies(mailbox: mailbox)
                group.addTask {
                    let attempts = await replies.submit(plans, via: gateway)
                    await self.queueReplies(attempts)
                }
            }
        }
        _ = await writePending()
    }

    private func queueReplies(_ attempts: [ReplyAttempt]) {
        pending += attempts.map { (.reply($0), nil) }
        wake.yield()
    }

    /// Writes everything pending, batch after batch; returns the replies the commits planned.
    private func writePending() async -> [OutboxEntry] {
        var plans: [OutboxEntry] = []
        while !pending.isEmpty {
            let batch = pending
            pending = []
            let result = await commit(batch.map(\.item))
            switch result {
            case .success(let outcomes):
                for (entry, outcome) in zip(batch, outcomes) {
                    if case .stored(_, _, _, let plan?) = outcome { plans.append(plan) }
                    if let waiter = entry.waiter { waiter.resume(returning: outcome) } else { observeReply(.success(outcome)) }
                }
            case .failure(let error):
                for entry in batch {
                    if let waiter = entry.waiter { waiter.resume(throwing: error) } else { observeReply(.failure(error)) }
                }
            }
        }
        return plans
    }

    private func commit(_ items: [IngestItem]) async -> Result<[IngestOutcome], ParleyError> {
        let mailbox = self.mailbox, gateway = replyGateway?.name, observeCommit = self.observeCommit
        return await withCheckedContinuation { continuation in
            writer.async {
                let clock = ContinuousClock()
                let started = clock.now
                let result = Result { () throws(ParleyError) in try mailbox.inbound.ingest(items, replyingVia: gateway).1 }
                observeCommit(items.count, clock.now - started)
                continuation.resume(returning: result)
            }
        }
    }
}
