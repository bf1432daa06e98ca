import Foundation
import Hummingbird
import ParleyGateways

/// What operators ask the server: `GET /healthz` (readiness, docs/OPERATIONS.md)
/// and, with `--metrics`, `GET /metrics` in Prometheus' text format.
struct OperationsRoutes: Sendable {
    let health: ServerHealth
    let metrics: ServerMetrics?
    let current: CurrentMailbox

    func add(to router: Router<WebhookContext>) {
        router.get("/healthz") { _, _ in
            let report = health.report()
            return WebhookHandler.response(WebhookResponse(status: report.ready ? 200 : 503, body: report.lines.joined(separator: "\n")))
        }
        guard let metrics else { return }
        router.get("/metrics") { _, _ in
            let entries = try? await Task.detached { try current.value.outbox.entries().count }.value
            return WebhookHandler.response(WebhookResponse(status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8",
                                                           body: metrics.render(outboxEntries: entries)))
        }
    }
}
