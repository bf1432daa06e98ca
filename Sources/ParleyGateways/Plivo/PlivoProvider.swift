import Foundation
import ParleyCore

/// Plivo's registration: the REST gateway, the V3-signed webhooks and what their configuration needs.
enum PlivoProvider: GatewayProvider {
    static let name = "plivo"

    static func gateway(_ settings: ProviderSettings, credentials: Credentials, clock: ParleyClock) throws(ParleyError) -> any Gateway {
        PlivoGateway(authID: try settings.required("auth_id"),
                     authToken: try credentials.require("PARLEY_PLIVO_AUTH_TOKEN", for: "the plivo gateway"),
                     apiBaseURL: settings["api_base_url"] ?? "https://api.plivo.com", publicBaseURL: settings["public_base_url"],
                     timeout: settings.timeout,
                     mediaLinks: MediaLinks(publicBaseURL: settings["public_base_url"], secret: credentials["PARLEY_MEDIA_LINK_SECRET"], clock: clock))
    }

    static func webhooks(_ settings: ProviderSettings, credentials: Credentials, options: WebhookOptions) throws(ParleyError) -> (any WebhookProvider)? {
        PlivoWebhooks(authToken: credentials["PARLEY_PLIVO_AUTH_TOKEN"], publicBaseURL: options.publicBaseURL ?? settings["public_base_url"])
    }

    static func problems(_ settings: ProviderSettings, credentials: Credentials, serving: Bool) -> [String] {
        guard settings["public_base_url"] == nil else { return [] }
        return ["gateway.public_base_url is not set: Plivo cannot send status callbacks, and 'parley serve' cannot check X-Plivo-Signature-V3 "
            + "without the public URL Plivo calls"]
    }
}
