import Foundation
import ParleyCore

/// Telnyx's registration: the v2 REST gateway, the Ed25519-signed webhooks and what their configuration needs.
enum TelnyxProvider: GatewayProvider {
    static let name = "telnyx"

    static func gateway(_ settings: ProviderSettings, credentials: Credentials, clock: ParleyClock) throws(ParleyError) -> any Gateway {
        TelnyxGateway(apiKey: try credentials.require("PARLEY_TELNYX_API_KEY", for: "the telnyx gateway"),
                      apiBaseURL: settings["api_base_url"] ?? "https://api.telnyx.com", publicBaseURL: settings["public_base_url"],
                      messagingProfileID: settings["messaging_profile_id"], timeout: settings.timeout,
                      mediaLinks: MediaLinks(publicBaseURL: settings["public_base_url"], secret: credentials["PARLEY_MEDIA_LINK_SECRET"], clock: clock))
    }

    static func webhooks(_ settings: ProviderSettings, credentials: Credentials, options: WebhookOptions) throws(ParleyError) -> (any WebhookProvider)? {
        TelnyxWebhooks(publicKey: settings["public_key"], clock: options.clock)
    }

    static func problems(_ settings: ProviderSettings, credentials: Credentials, serving: Bool) -> [String] {
        var problems: [String] = []
        if settings["public_base_url"] == nil {
            problems.append("gateway.public_base_url is not set: Telnyx cannot send per-message status webhooks, and an in-doubt send cannot be "
                + "looked up")
        }
        if let problem = TelnyxWebhooks(publicKey: settings["public_key"], clock: .system).notConfigured { problems.append(problem) }
        return problems
    }
}
