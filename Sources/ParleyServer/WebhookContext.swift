import Hummingbird
import NIOCore
import ParleyGateways

/// The request context for webhooks: the peer address, and the request as
/// the authentication middleware read and verified it.
public struct WebhookContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    /// Set by `WebhookAuthentication` once the provider accepted the request.
    var webhook: WebhookRequest?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
