import Foundation
import ParleyCore

/// Twilio's registration: the REST gateway, the signed webhooks and what their configuration needs.
enum TwilioProvider: GatewayProvider {
    static let name = "twilio"

    static func gateway(_ settings: ProviderSettings, credentials: Credentials, clock: ParleyClock) throws(ParleyError) -> any Gateway {
        TwilioGateway(
            accountSID: try settings.required("account_sid"),
            authToken: try credentials.require("PARLEY_TWILIO_AUTH_TOKEN", for: "the twilio gateway"),
            apiBaseURL: settings["api_base_url"] ?? "https://api.twilio.com", publicBaseURL: settings["public_base_url"], timeout: settings.timeout,
            mediaLinks: MediaLinks(publicBaseURL: settings["public_base_url"], secret: credentials["PARLEY_MEDIA_LINK_SECRET"], clock: clock),
            lookupBaseURL: settings["lookup_base_url"])
    }

    static func webhooks(_ settings: ProviderSettings, credentials: Credentials, options: WebhookOptions) throws(ParleyError) -> (any WebhookProvider)? {
        TwilioWebhooks(authToken: credentials["PARLEY_TWILIO_AUTH_TOKEN"], publicBaseURL: options.publicBaseURL ?? settings["public_base_url"])
    }

    static func problems(_ settings: ProviderSettings, credentials: Credentials, serving: Bool) -> [String] {
        guard settings["public_base_url"] == nil else { return [] }
        return ["gateway.public_base_url is not set: Twilio cannot send status callbacks, and 'parley serve' cannot check X-Twilio-Signature "
            + "without the public URL Twilio calls"]
    }
}
