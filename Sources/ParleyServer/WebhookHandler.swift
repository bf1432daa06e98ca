import Foundation
import Hummingbird
import Logging
import NIOCore
import ParleyCore
import ParleyGateways

/// Answers any provider's route generically: the request was authenticated
/// by `WebhookAuthentication`; the provider's route decodes it into an
/// ingest item; the queue stores it; the provider's acknowledgement goes
/// back only once its commit is durable.
struct WebhookHandler: Sendable {
    let queue: IngestQueue
    let current: CurrentMailbox
    let metrics: ServerMetrics?
    let logger: Logger

    func handle(_ route: WebhookRoute, of provider: String, _ context: WebhookContext) async -> Response {
        let answer = await answer(route, context)
        metrics?.webhook(provider: provider, status: answer.status)
        return Self.response(answer)
    }

    private func answer(_ route: WebhookRoute, _ context: WebhookContext) async -> WebhookResponse {
        let defaultRegion = current.value.config.defaultCountry
        guard let request = context.webhook else { return WebhookResponse(status: 403, body: "not authenticated") }
        let items: [IngestItem]
        do {
            items = try route.decode(request, defaultRegion)
            if items.isEmpty {
                logger.info("acknowledged a callback Parley does not record", metadata: ["path": "\(route.path)"])
                return route.acknowledgement
            }
        } catch {
            logger.notice("refused a webhook", metadata: ["path": "\(route.path)", "problem": "\(error.message.prefix(200))"])
            return WebhookResponse(status: error.status, body: error.message)
        }
        do {
            // Each item is stored idempotently (by the provider's id), so a batch retried after a partial failure stores nothing twice.
            for item in items {
                let outcome = try await queue.submit(item)
                if case .rejected(let error) = outcome {
                    logger.notice("refused a webhook", metadata: ["path": "\(route.path)", "problem": "\(error)"])
                    return WebhookResponse(status: 400, body: error.description)
                }
                logger.info("webhook processed", metadata: ["path": "\(route.path)", "outcome": "\(outcome.summary)"])
            }
            return route.acknowledgement
        } catch {
            logger.error("could not store a webhook; answering 500 so the provider retries",
                metadata: ["path": "\(route.path)", "problem": "\(error)"])
            return WebhookResponse(status: 500, body: "not stored; retry")
        }
    }

    static func response(_ answer: WebhookResponse) -> Response {
        let text = answer.body.isEmpty || answer.contentType != "text/plain; charset=utf-8" ? answer.body : answer.body + "\n"
        return Response(status: .init(code: answer.status), headers: [.contentType: answer.contentType],
                        body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
