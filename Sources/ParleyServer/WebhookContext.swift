import Hummingbird
import NIOCore

/// The request context for webhooks, with the peer address for Kannel's allowlist.
public struct WebhookContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
