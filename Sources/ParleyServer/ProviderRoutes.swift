import Foundation
import Hummingbird
import Logging
import ParleyGateways

/// Every provider's callback routes, each provider's group behind its own
/// `WebhookAuthentication`, so nothing is read before the request proved
/// it is the provider's.
struct ProviderRoutes: Sendable {
    let webhooks: [any WebhookProvider]
    let handler: WebhookHandler
    let bodyLimit: Int
    let metrics: ServerMetrics?
    let logger: Logger

    func add(to router: Router<WebhookContext>) {
        for provider in webhooks {
            let group = router.group().add(middleware: WebhookAuthentication(provider: provider, bodyLimit: bodyLimit, metrics: metrics, logger: logger))
            for route in provider.routes {
                for method in route.methods {
                    group.on(RouterPath(route.path), method: method == .get ? .get : .post) { _, context in
                        await handler.handle(route, of: provider, context)
                    }
                }
            }
        }
    }
}
