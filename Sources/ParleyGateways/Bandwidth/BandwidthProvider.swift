import Foundation
import ParleyCore

/// Bandwidth's registration: the Messaging API v2 gateway, the callbacks with their credentials, and what their configuration needs.
enum BandwidthProvider: GatewayProvider {
    static let name = "bandwidth"

    static func gateway(_ settings: ProviderSettings, credentials: Credentials, clock: ParleyClock) throws(ParleyError) -> any Gateway {
        BandwidthGateway(accountID: try settings.required("account_id"), applicationID: try settings.required("application_id"),
                         username: try settings.required("username"),
                         password: try credentials.require("PARLEY_BANDWIDTH_PASSWORD", for: "the bandwidth gateway"),
                         apiBaseURL: settings["api_base_url"] ?? "https://messaging.bandwidth.com", timeout: settings.timeout,
                         mediaLinks: MediaLinks(publicBaseURL: settings["public_base_url"], secret: credentials["PARLEY_MEDIA_LINK_SECRET"], clock: clock))
    }

    static func webhooks(_ settings: ProviderSettings, credentials: Credentials, options: WebhookOptions) throws(ParleyError) -> (any WebhookProvider)? {
        BandwidthWebhooks(username: settings["callback_username"], password: credentials["PARLEY_BANDWIDTH_CALLBACK_PASSWORD"],
                          apiUsername: settings["username"], apiPassword: credentials["PARLEY_BANDWIDTH_PASSWORD"])
    }

    static func problems(_ settings: ProviderSettings, credentials: Credentials, serving: Bool) -> [String] {
        BandwidthWebhooks(username: settings["callback_username"], password: credentials["PARLEY_BANDWIDTH_CALLBACK_PASSWORD"]).notConfigured
            .map { [$0] } ?? []
    }
}
