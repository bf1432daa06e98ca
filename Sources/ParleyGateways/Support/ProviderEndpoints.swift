import AsyncHTTPClient
import Foundation
import NIOCore
import ParleyCore

/// Where a REST provider is reached and where it reaches Parley: its API's
/// base URL, `parley serve`'s public URL for status callbacks (nil: none),
/// the signed links it fetches outbound media from (nil: text only) and
/// the HTTP client with the provider's deadline. Twilio, Telnyx, Plivo and
/// Bandwidth hold one.
struct ProviderEndpoints: Sendable {
    let apiBaseURL: String
    let publicBaseURL: String?
    let mediaLinks: MediaLinks?
    let http: ProviderHTTP

    init(provider: String, apiBaseURL: String, publicBaseURL: String?, mediaLinks: MediaLinks?, timeout: TimeAmount, client: HTTPClient) {
        self.apiBaseURL = StatusCallback.trimmed(apiBaseURL) ?? apiBaseURL
        self.publicBaseURL = StatusCallback.trimmed(publicBaseURL)
        self.mediaLinks = mediaLinks
        http = ProviderHTTP(provider: provider, timeout: timeout, client: client)
    }
}

/// A gateway that talks to its provider over REST through `ProviderEndpoints`.
protocol RESTGateway: Gateway {
    var endpoints: ProviderEndpoints { get }
}

extension RESTGateway {
    /// Media go out only as links `parley serve` signs.
    public var supportsMedia: Bool { endpoints.mediaLinks != nil }
}
