import Foundation
import ParleyCore
import Prometheus

/// What `parley serve --metrics` exposes at `GET /metrics`, in Prometheus's
/// text format (swift-prometheus): webhooks received and refused by
/// provider, group-commit sizes and latency, the server's own sends by
/// status, and—read at each scrape—the outbox depth and the time since the
/// last successful sync. Counters live as long as the process.
public final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    let health: ServerHealth
    private let commitSizes: ValueHistogram
    private let commitSeconds: DurationHistogram
    private let outboxDepth: Gauge
    private let sinceSync: Gauge
    private let lastSync: Gauge

    public init(health: ServerHealth) {
        self.health = health
        commitSizes = registry.makeValueHistogram(descriptor: Self.name("group_commit", "items", "Webhook items stored per group commit"),
                                                  buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256])
        commitSeconds = registry.makeDurationHistogram(
            descriptor: Self.name("group_commit_duration", "seconds", "Time to write and fsync one group commit"), buckets: [
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
            .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5),
        ])
        outboxDepth = registry.makeGauge(descriptor: Self.name("outbox", "entries", "Messages waiting in the outbox"))
        sinceSync = registry.makeGauge(descriptor: Self.name("seconds_since_last", "sync", "Seconds since the last successful sync; -1 before one"))
        lastSync = registry.makeGauge(descriptor: Self.name("last_sync_timestamp", "seconds", "When the last sync succeeded (Unix time)"))
    }

    /// A metric named `parley_METRIC_UNIT`, with the help line Prometheus shows.
    private static func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "parley", metricName: metric, unitName: unit, helpText: help)
    }

    /// A webhook answered: `outcome` is `stored` (2xx) or `refused` (anything else), with the HTTP status.
    func webhook(provider: String, status: Int) {
        let outcome = (200...299).contains(status) ? "stored" : "refused"
        registry.makeCounter(descriptor: Self.name("webhooks", "total", "Webhooks answered, by provider and outcome"),
                             labels: [("provider", provider), ("outcome", outcome), ("status", String(status))]).increment()
    }

    func groupCommit(items: Int, duration: Duration) {
        commitSizes.record(Double(items))
        commitSeconds.record(duration)
    }

    /// A message this server sent (a scheduled one, or an automatic reply), by its status after the gateway answered.
    func sent(status: String) {
        registry.makeCounter(descriptor: Self.name("sends", "total", "Messages this server sent, by status"), labels: [("status", status)])
            .increment()
    }

    /// The exposition: the counters, then the gauges read now.
    func render(outboxEntries: Int?) -> String {
        if let outboxEntries { outboxDepth.set(Double(outboxEntries)) }
        if let last = health.lastSync {
            lastSync.set(last.timeIntervalSince1970)
            sinceSync.set(max(0, health.clock.now().timeIntervalSince(last)))
        } else {
            sinceSync.set(-1.0)
        }
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}
