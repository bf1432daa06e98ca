import Foundation
import Hummingbird
import Logging
import ParleyGateways

/// Route-group middleware: reads a provider's request (body bounded by
/// the server's limit) and lets it through only when the provider says it
/// is its own, before any route reads a value from it.
struct WebhookAuthentication: RouterMiddleware {
    typealias Context = WebhookContext

    let provider: any WebhookProvider
    let bodyLimit: Int
    let metrics: ServerMetrics?
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: bodyLimit)
        } catch {
            metrics?.webhook(provider: provider.name, status: 413)
            return WebhookHandler.response(WebhookResponse(status: 413, body: "body over \(bodyLimit) bytes"))
        }
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let webhook = WebhookRequest(
            method: request.method == .get ? .get : .post, target: request.uri.description, headers: headers,
            body: Array(body.readableBytesView), remoteAddress: context.remoteAddress?.ipAddress)
        if let refusal = provider.authenticate(webhook) {
            if let log = refusal.log {
                logger.warning("\(log)", metadata: ["path": "\(webhook.path)", "address": "\(webhook.remoteAddress ?? "-")"])
            }
            metrics?.webhook(provider: provider.name, status: refusal.status)
            return WebhookHandler.response(WebhookResponse(status: refusal.status, body: refusal.message))
        }
        var context = context
        context.webhook = webhook
        return try await next(request, context)
    }
}
