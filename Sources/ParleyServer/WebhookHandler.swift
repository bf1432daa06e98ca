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
    let mediaFetcher: MediaFetcher
    /// Judges the line of a text whose delivery failed, after the report is stored.
    let watch: DeliverabilityWatch
    /// Runs the automations a stored customer text triggers; nil without a gateway.
    let automations: AutomationService?
    let logger: Logger

    func handle(_ route: WebhookRoute, of provider: any WebhookProvider, _ context: WebhookContext) async -> Response {
        let answer = await answer(route, of: provider, context)
        metrics?.webhook(provider: provider.name, status: answer.status)
        return Self.response(answer)
    }

    private func answer(_ route: WebhookRoute, of provider: any WebhookProvider, _ context: WebhookContext) async -> WebhookResponse {
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
                let outcome = try await queue.submit(await withMedia(item, of: provider))
                if case .rejected(let error) = outcome {
                    logger.notice("refused a webhook", metadata: ["path": "\(route.path)", "problem": "\(error)"])
                    return WebhookResponse(status: 400, body: error.description)
                }
                logger.info("webhook processed", metadata: ["path": "\(route.path)", "outcome": "\(outcome.summary)"])
                // Off the provider's answer: the report is stored, and judging the line reads the index.
                if case .report(let report) = item, case .recorded = outcome { Task { await watch.noticed(report) } }
                if case .stored(let message, _, _, _) = outcome { automations?.received(message) }
            }
            return route.acknowledgement
        } catch {
            logger.error("could not store a webhook; answering 500 so the provider retries",
                metadata: ["path": "\(route.path)", "problem": "\(error)"])
            return WebhookResponse(status: 500, body: "not stored; retry")
        }
    }

    /// An inbound MMS with its media fetched (or skipped, with why); any other item as it is.
    private func withMedia(_ item: IngestItem, of provider: any WebhookProvider) async -> IngestItem {
        guard case .inbound(var message) = item, !message.mediaReferences.isEmpty else { return item }
        if (try? current.value.inbound.hasStored(message)) == true { return item }   // a retry: the first delivery fetched them
        message.media = await mediaFetcher.fetch(message.mediaReferences) { provider.mediaAuthorization(for: $0) }
        let skipped = message.media.filter { $0.skipped != nil }.count
        if skipped > 0 { logger.notice("inbound media not stored", metadata: ["items": "\(skipped)", "of": "\(message.media.count)"]) }
        return .inbound(message)
    }

    static func response(_ answer: WebhookResponse) -> Response {
        let text = answer.body.isEmpty || answer.contentType != "text/plain; charset=utf-8" ? answer.body : answer.body + "\n"
        return Response(status: .init(code: answer.status), headers: [.contentType: answer.contentType],
                        body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
