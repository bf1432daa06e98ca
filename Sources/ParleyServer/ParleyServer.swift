import Foundation
import Hummingbird
import Logging
import ParleyCore
import ParleyGateways
import ServiceLifecycle

/// Builds the webhook server; `parley serve` runs it and the tests start
/// it on a free loopback port (Hummingbird's application template).
public enum ParleyServer {
    public static func buildApplication(
        mailbox: Mailbox, gateway: (any Gateway)?, configuration: ServerConfiguration, logger: Logger,
        services extra: [any Service] = [],
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let metrics = configuration.metrics
        let current = CurrentMailbox(mailbox)
        let queue = IngestQueue(mailbox: mailbox, replyingVia: gateway, observeReply: { outcome in logReply(outcome, metrics: metrics, logger: logger) },
                                observeCommit: { items, duration in metrics?.groupCommit(items: items, duration: duration) })
        let watch = DeliverabilityWatch(current: current, poster: configuration.alertPoster, logger: logger)
        let automations = gateway.map { AutomationService(current: current, gateway: $0, interval: configuration.automationInterval, metrics: metrics,
                                                          logger: logger) }
        let handler = WebhookHandler(queue: queue, current: current, metrics: metrics, mediaFetcher: configuration.mediaFetcher, watch: watch,
                                     automations: automations, logger: logger)
        let router = Router(context: WebhookContext.self)
        OperationsRoutes(health: configuration.health, metrics: metrics, current: current).add(to: router)
        if let token = configuration.automationToken {
            AutomationRoutes(token: token, current: current, gateway: gateway, bodyLimit: configuration.bodyLimit, logger: logger).add(to: router)
        }
        if let links = configuration.mediaLinks { MediaRoutes(links: links, current: current).add(to: router) }
        ProviderRoutes(webhooks: configuration.webhooks, handler: handler, bodyLimit: configuration.bodyLimit, metrics: metrics, logger: logger)
            .add(to: router)

        // Listed before the HTTP server, so it is shut down after it: requests in flight are answered first.
        var services: [any Service] = extra + [IngestService(queue: queue)]
        if let gateway, configuration.flushInterval > 0 {
            services.append(OutboxFlushService(current: current, gateway: gateway, interval: configuration.flushInterval, metrics: metrics,
                                               logger: logger))
        }
        if let automations { services.append(automations) }
        if let reload = configuration.reloadMailbox {
            services.append(HangUpReloadService(logger: logger) {
                let fresh = try reload()
                current.value = fresh
                await queue.reload(fresh)
                return fresh
            })
        }
        return Application(
            router: router,
            server: .http1(configuration: .init(idleTimeout: .milliseconds(Int64(configuration.idleTimeout * 1000)))),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "parley"),
            services: services,
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
            logger: logger)
    }

    /// An automatic reply's outcome, counted and logged (ids and statuses, never a body).
    private static func logReply(_ outcome: Result<IngestOutcome, ParleyError>, metrics: ServerMetrics?, logger: Logger) {
        switch outcome {
        case .success(.replied(let message?, let attempt)):
            metrics?.sent(status: message.status.rawValue)
            logger.info("automatic reply recorded", metadata: ["id": "\(attempt.entry.id)", "status": "\(message.status.rawValue)"])
        case .success(.replied(nil, let attempt)):
            metrics?.sent(status: "not_sent")
            logger.error("automatic reply not sent", metadata: ["id": "\(attempt.entry.id)", "outcome": "\(attempt.result)"])
        case .success(let other):
            logger.info("automatic reply", metadata: ["outcome": "\(other.summary)"])
        case .failure(let problem):
            logger.error("automatic reply not recorded; its outbox entry stays for 'parley outbox reconcile'",
                metadata: ["problem": "\(problem)"])
        }
    }
}

/// Runs `work` every `interval` seconds until shutdown: the server's
/// periodic sync with the team's hub.
public struct PeriodicService: Service {
    let name: String
    let interval: TimeInterval
    let logger: Logger
    let work: @Sendable () async throws -> String

    public init(name: String, interval: TimeInterval, logger: Logger, work: @escaping @Sendable () async throws -> String) {
        self.name = name
        self.interval = interval
        self.logger = logger
        self.work = work
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(nanoseconds: UInt64(interval * 1_000_000_000)) }
            guard !Task.isShuttingDownGracefully else { break }
            do {
                let result = try await work()
                logger.info("\(name) done", metadata: ["result": "\(result)"])
            } catch {
                logger.error("\(name) failed", metadata: ["problem": "\(error)"])
            }
        }
    }
}

/// Runs the ingest queue's writer; on graceful shutdown it stops intake,
/// writes what is queued and records the automatic replies in flight.
struct IngestService: Service {
    let queue: IngestQueue

    func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await queue.run() }
            try? await gracefulShutdown()
            await queue.finish()
        }
    }
}

/// Sends due scheduled messages on a timer inside the server; on shutdown
/// it finishes the flush in progress and stops.
struct OutboxFlushService: Service {
    let current: CurrentMailbox
    let gateway: any Gateway
    let interval: TimeInterval
    let metrics: ServerMetrics?
    let logger: Logger

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let outcomes = try await current.value.outbox.flush(via: gateway)
                for outcome in outcomes {
                    switch outcome.result {
                    case .success(let sent): metrics?.sent(status: sent.message.status.rawValue)
                    case .failure: metrics?.sent(status: "error")
                    }
                }
                if !outcomes.isEmpty { logger.info("flushed the outbox", metadata: ["messages": "\(outcomes.count)"]) }
            } catch {
                logger.error("outbox flush failed", metadata: ["problem": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(nanoseconds: UInt64(interval * 1_000_000_000)) }
        }
    }
}
