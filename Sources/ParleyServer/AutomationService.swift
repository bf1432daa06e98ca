import Foundation
import Logging
import Synchronization
import ParleyCore
import ServiceLifecycle

/// Runs the mailbox's automations inside `parley serve`: on each customer
/// text the webhooks stored (its answer read, or an after-hours or
/// first-text reply), and the timed ones (appointments coming up,
/// conversations closed a while ago) every `interval`. One worker takes
/// the work in order, so two texts from one customer arriving together see
/// each other's decisions: exactly one automatic reply. A broken
/// automation file is logged and runs nothing; the stored texts are safe.
final class AutomationService: Service, Sendable {
    enum Work: Sendable {
        case received(Message)
        case due
    }

    let current: CurrentMailbox
    let gateway: any Gateway
    /// How often the timed automations run; 0: only as texts arrive.
    let interval: TimeInterval
    let metrics: ServerMetrics?
    let logger: Logger
    private let work: AsyncStream<Work>
    private let queue: AsyncStream<Work>.Continuation
    /// A timer tick waits in the queue: the next is not added, so a slow run never piles up ticks.
    private let tickQueued = Mutex(false)

    init(current: CurrentMailbox, gateway: any Gateway, interval: TimeInterval, metrics: ServerMetrics?, logger: Logger) {
        self.current = current
        self.gateway = gateway
        self.interval = interval
        self.metrics = metrics
        self.logger = logger
        (work, queue) = AsyncStream.makeStream(of: Work.self)
    }

    /// A customer's text was stored (not a duplicate, not a delivery report).
    func received(_ message: Message) { queue.yield(.received(message)) }

    func run() async throws {
        let ticker = Task { [self] in
            guard interval > 0 else { return }
            while !Task.isCancelled {
                if tickQueued.withLock({ queued in defer { queued = true }; return !queued }) { queue.yield(.due) }
                try? await Task.sleep(nanoseconds: UInt64(interval * 1_000_000_000))
            }
        }
        defer { ticker.cancel() }
        await cancelWhenGracefulShutdown { [self] in
            for await item in work { await handle(item) }
        }
    }

    private func handle(_ item: Work) async {
        let automations = current.value.automations
        do {
            let runs: [AutomationRun]
            switch item {
            case .received(let message): runs = try await automations.received(message, via: gateway)
            case .due:
                tickQueued.withLock { $0 = false }
                runs = try await automations.runDue(via: gateway)
            }
            for run in runs { log(run) }
        } catch {
            logger.error("automations did not run", metadata: ["problem": "\(error)"])
        }
    }

    private func log(_ run: AutomationRun) {
        let metadata: Logger.Metadata = ["automation": "\(run.automation)", "outcome": "\(run.outcome)", "subject": "\(run.subject)"]
        switch run.decision {
        case .sent(let result):
            metrics?.sent(status: result.message.status.rawValue)
            logger.info("automation sent", metadata: metadata.merging(["id": "\(result.message.id)"]) { $1 })
            if let problem = result.recordProblem { logger.warning("automation text sent but not recorded", metadata: ["problem": "\(problem)"]) }
        case .failed(let error):
            logger.error("automation failed", metadata: metadata.merging(["problem": "\(error)"]) { $1 })
        case .inDoubt(let why):
            logger.warning("automation text in doubt", metadata: metadata.merging(["problem": "\(why)"]) { $1 })
        case .alreadyDone, .limited:
            logger.debug("automation skipped", metadata: metadata)
        case .heldOut, .answered, .refused:
            logger.info("automation decided", metadata: metadata)
        }
    }
}
