import Foundation
import ParleyCore
import ParleyGateways

/// How `parley serve` listens and whom it believes.
public struct ServerConfiguration: Sendable {
    /// 127.0.0.1 unless told otherwise: put a TLS proxy in front to expose it.
    public var host = "127.0.0.1"
    public var port = 8080
    /// Each provider's webhooks (`GatewayFactory.webhooks`): its routes and how it authenticates.
    public var webhooks: [any WebhookProvider] = []
    /// Requests with larger bodies are refused with 413.
    public var bodyLimit = 64 * 1024
    /// A connection that sends nothing (no request, or headers that never
    /// finish) for this long is closed, so idle sockets cannot pile up.
    public var idleTimeout: TimeInterval = 10
    /// How often scheduled messages are sent (0: never).
    public var flushInterval: TimeInterval = 60
    /// How often the timed automations (appointments, closes) run; 0: only the ones a text triggers.
    public var automationInterval: TimeInterval = 60
    /// Readiness for `GET /healthz`; the sync service reports its successes here.
    public var health = ServerHealth(gitDirectory: nil, syncInterval: 0)
    /// Exposed at `GET /metrics` when set (`--metrics`).
    public var metrics: ServerMetrics?
    /// Answers `GET /media/…` for the signed links outbound MMS carry; nil: no such route.
    public var mediaLinks: MediaLinks?
    /// Enables `/automation/…` for the business's automated systems (`PARLEY_AUTOMATION_TOKEN`); nil: no such routes.
    public var automationToken: String?
    /// Downloads inbound MMS media before the message is stored.
    public var mediaFetcher = MediaFetcher()
    /// Where filtered texts and lines that pause themselves are announced (`PARLEY_ALERT_WEBHOOK_URL`); nil: only logged.
    public var alertPoster: AlertPoster?
    /// Reads the mailbox's settings again (`parley.yaml`) on SIGHUP; nil ignores the signal.
    public var reloadMailbox: (@Sendable () throws -> Mailbox)?

    public init() {}
}
