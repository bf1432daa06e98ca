import ArgumentParser
import Foundation
import Hummingbird
import Logging
import ParleyCore
import ParleyGateways
import ParleyGitStore
import ParleyServer
import ServiceLifecycle

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Receive inbound messages and delivery reports over HTTP from every provider Parley knows.",
        discussion: """
            Routes, and how each provider's requests are authenticated before anything is read (docs/GATEWAYS.md):
            \(GatewayFactory.routeSummary().map { "  " + $0 }.joined(separator: "\n"))
            GET /healthz (readiness: 200 "ok" or 503 with the reasons), GET /metrics with --metrics (Prometheus text).
            Binds 127.0.0.1 unless --host says otherwise; put a TLS proxy in front to
            expose it. SIGHUP reloads parley.yaml without dropping requests. A webhook is
            answered 2xx only after its commit is on disk (fsync); concurrent arrivals share
            one commit. SIGTERM drains in-flight work.
            Scheduled messages are sent on a timer. With PARLEY_ALERT_WEBHOOK_URL set (a
            Slack-compatible incoming webhook; a secret, so never in parley.yaml), each
            customer waiting past their response target is announced there once, and so
            is each text a carrier filtered and each line that paused itself after a
            failed delivery report. The automations on main (automations/*.yaml) run as
            customer texts arrive (answers read, after-hours and first-text replies) and,
            for appointments and closes, on a timer (--automations-every).

            Examples:
              PARLEY_TWILIO_AUTH_TOKEN=… parley serve --port 8080
              parley serve --host 0.0.0.0 --public-url https://hooks.brightsmile.example
              parley serve --flush-every 30
              parley serve --sync-every 1m
              PARLEY_ALERT_WEBHOOK_URL=https://hooks.slack.com/services/… parley serve --overdue-every 5m
              parley serve --metrics --log-format json
              kill -HUP "$(pidof parley)"     # after editing parley.yaml
            """)

    @OptionGroup var repository: RepositoryOptions
    @Option(help: "The address to listen on.") var host = "127.0.0.1"
    @Option(help: "The port to listen on (0: any free port, printed at start).") var port = 8080
    @Option(help: ArgumentHelp("The public URL providers call (default: gateway.public_base_url).", valueName: "url")) var publicURL: String?
    @Option(help: "Refuse request bodies larger than this many bytes.") var bodyLimit = 64 * 1024

    @Option(help: ArgumentHelp("Send due scheduled messages this often: seconds, or with s/m/h (0: never).", valueName: "duration"))
    var flushEvery = Interval(seconds: 60)

    @Option(help: ArgumentHelp("Run the timed automations (appointments, closes) this often (0: never).", valueName: "duration"))
    var automationsEvery = Interval(seconds: 60)

    @Flag(help: "Do not fsync commits (faster; a crash may lose acknowledged webhooks).") var noFsync = false

    @Option(help: ArgumentHelp("Sync with the remote this often (seconds, or 30s/5m/1h): push what was received, pull what agents did (0: never).",
        valueName: "duration"))
    var syncEvery = Interval(seconds: 0)

    @Option(help: "The remote --sync-every uses.") var remote = "origin"

    @Option(help: ArgumentHelp("Look for customers waiting past their target this often, when PARLEY_ALERT_WEBHOOK_URL is set (0: never).",
        valueName: "duration"))
    var overdueEvery = Interval(seconds: 60)

    @Flag(help: "Expose Prometheus metrics at GET /metrics (on the same address: keep it on loopback or behind the proxy).") var metrics = false

    @Option(help: ArgumentHelp("How to write logs on standard error: text, or json (one object per line).", valueName: "format"))
    var logFormat = "text"

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0–65535") }
        guard bodyLimit >= 1024 else { throw ValidationError("--body-limit must be at least 1024") }
        guard ["text", "json"].contains(logFormat) else { throw ValidationError("--log-format must be text or json") }
    }

    func run() async throws {
        try await reporting {
            let context = try CommandContext()
            let store = try context.openStore(repository)
            let mailbox = try context.openMailbox(on: store)
            let credentials = try context.credentials(for: mailbox)
            if !noFsync { try GitMailboxStore.setDurableWrites(true) }
            store.mergePacksInBackground()
            var configuration = try configuration(mailbox: mailbox, store: store, credentials: credentials)
            configuration.reloadMailbox = { try context.openMailbox(on: store) }
            configuration.alertPoster = try alertPoster(context: context)
            // Webhooks work without a gateway; flushing the outbox and answering
            // STOP/HELP do not, and saying nothing would hide that.
            var gateway: (any Gateway)?
            do {
                gateway = try context.gateway(for: mailbox)
            } catch {
                let consequence = "webhooks are stored, but scheduled messages are not sent and STOP/HELP get no automatic reply"
                context.output.error("parley serve: warning: \(error); \(consequence) until the gateway settings are fixed and serve is restarted")
            }
            var logger = logFormat == "json" ? Logger(label: "parley.serve", factory: { JSONLogHandler(label: $0, clock: mailbox.clock) }) : Logger(label: "parley.serve")
            logger.logLevel = context.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
            let output = context.output
            let settings = configuration
            var services: [any Service] = []
            if let sync = try syncService(context: context, mailbox: mailbox, store: store, health: settings.health, logger: logger) {
                services.append(sync)
            }
            if let alerts = try overdueAlerts(poster: settings.alertPoster, mailbox: mailbox, store: store) {
                services.append(PeriodicService(name: "overdue alerts to \(alerts.destination)", interval: overdueEvery.seconds, logger: logger) {
                    try await alerts.check()
                })
            }
            let app = ParleyServer.buildApplication(
                mailbox: mailbox, gateway: gateway, configuration: settings, logger: logger, services: services
            ) { boundPort in
                output.line("parley serve: listening on http://\(settings.host):\(boundPort) for \(mailbox.config.businessName)")
                if !AddressAllowlist.isLoopback(settings.host) {
                    output.error("parley serve: warning: \(settings.host) is not a loopback address: anyone who can reach this machine can call the "
                        + "webhooks. "
                                 + "Signatures and secrets are still checked, but put a TLS proxy in front and bind 127.0.0.1 unless you must")
                }
                for note in settings.webhooks.compactMap(\.notConfigured) { output.error("parley serve: note: \(note)") }
            }
            do {
                try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
            } catch {
                throw ParleyError.storage("the server stopped: \(error)")
            }
        }
    }

    /// The server's settings from the flags, parley.yaml and the credentials.
    private func configuration(mailbox: Mailbox, store: GitMailboxStore, credentials: Credentials) throws(ParleyError) -> ServerConfiguration {
        var configuration = ServerConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.bodyLimit = bodyLimit
        configuration.flushInterval = flushEvery.seconds
        configuration.automationInterval = automationsEvery.seconds
        var options = WebhookOptions(publicBaseURL: publicURL)
        options.clock = mailbox.clock
        configuration.webhooks = try GatewayFactory.webhooks(mailbox.config, credentials: credentials, options: options)
        configuration.automationToken = credentials["PARLEY_AUTOMATION_TOKEN"].flatMap { $0.count >= 16 ? $0 : nil }
        if configuration.automationToken == nil, credentials["PARLEY_AUTOMATION_TOKEN"] != nil {
            Output.current.error("parley serve: warning: PARLEY_AUTOMATION_TOKEN is shorter than 16 characters; the automation endpoint stays off")
        }
        configuration.mediaLinks = MediaLinks(publicBaseURL: publicURL ?? mailbox.config.gateway.settings["public_base_url"],
                                              secret: credentials["PARLEY_MEDIA_LINK_SECRET"], clock: mailbox.clock)
        configuration.health = ServerHealth(gitDirectory: store.gitDirectory, syncInterval: syncEvery.seconds, clock: mailbox.clock)
        if metrics { configuration.metrics = ServerMetrics(health: configuration.health) }
        return configuration
    }

    /// Syncs with the remote every --sync-every, when set.
    private func syncService(context: CommandContext, mailbox: Mailbox, store: GitMailboxStore, health: ServerHealth,
                             logger: Logger) throws -> PeriodicService? {
        guard syncEvery.seconds > 0 else { return nil }
        let authentication = store.remoteAuthentication(remote: remote, environment: context.environment, secret: try context.secrets(for: store))
        let remote = self.remote
        return PeriodicService(name: "sync with \(remote)", interval: syncEvery.seconds, logger: logger) {
            // Network and libgit2 block: keep them off the server's threads.
            try await Task.detached {
                let report = try store.sync(remote: remote, authentication: authentication, clock: mailbox.clock)
                health.syncSucceeded()
                return "received \(report.received), sent \(report.sent)"
            }.value
        }
    }

    /// Where alerts go, when PARLEY_ALERT_WEBHOOK_URL names it.
    private func alertPoster(context: CommandContext) throws -> AlertPoster? {
        guard let url = context.environment["PARLEY_ALERT_WEBHOOK_URL"], !url.isEmpty else { return nil }
        return try AlertPoster(url: url)
    }

    /// The overdue announcer, when alerts have somewhere to go; it remembers what it announced beside the index.
    private func overdueAlerts(poster: AlertPoster?, mailbox: Mailbox, store: GitMailboxStore) throws -> OverdueAlerts? {
        guard overdueEvery.seconds > 0, let poster else { return nil }
        let directory = try store.index().path.map { ($0 as NSString).deletingLastPathComponent }
        return OverdueAlerts(mailbox: mailbox, poster: poster, statePath: directory.map { $0 + "/overdue-alerts.json" })
    }
}
