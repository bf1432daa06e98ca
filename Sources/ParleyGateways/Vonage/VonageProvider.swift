import Foundation
import ParleyCore

/// Vonage's registration: the SMS API gateway, the signed webhooks and what their configuration needs.
enum VonageProvider: GatewayProvider {
    static let name = "vonage"

    static func gateway(_ settings: ProviderSettings, credentials: Credentials, clock: ParleyClock) throws(ParleyError) -> any Gateway {
        VonageGateway(apiKey: try settings.required("account_id"),
                      apiSecret: try credentials.require("PARLEY_VONAGE_API_SECRET", for: "the vonage gateway"),
                      restBaseURL: settings["rest_base_url"] ?? "https://rest.nexmo.com",
                      reportsBaseURL: settings["reports_base_url"] ?? "https://api.nexmo.com",
                      publicBaseURL: settings["public_base_url"], timeout: settings.timeout, clock: clock)
    }

    static func webhooks(_ settings: ProviderSettings, credentials: Credentials, options: WebhookOptions) throws(ParleyError) -> (any WebhookProvider)? {
        VonageWebhooks(signatureSecret: credentials["PARLEY_VONAGE_SIGNATURE_SECRET"], method: settings["signature_method"], clock: options.clock)
    }

    static func problems(_ settings: ProviderSettings, credentials: Credentials, serving: Bool) -> [String] {
        var problems: [String] = []
        if settings["public_base_url"] == nil {
            problems.append("gateway.public_base_url is not set: Vonage delivery receipts go to the account's default webhook, if any")
        }
        if let problem = VonageWebhooks(signatureSecret: credentials["PARLEY_VONAGE_SIGNATURE_SECRET"], method: settings["signature_method"], clock: .system)
            .notConfigured { problems.append(problem) }
        return problems
    }
}
