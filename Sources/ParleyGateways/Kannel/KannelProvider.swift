import Foundation
import ParleyCore

/// Kannel's registration: the sendsms gateway, the callbacks and what their configuration needs.
enum KannelProvider: GatewayProvider {
    static let name = "kannel"

    static func gateway(_ settings: ProviderSettings, credentials: Credentials, clock: ParleyClock) throws(ParleyError) -> any Gateway {
        KannelGateway(
            sendsmsURL: try settings.required("sendsms_url"), username: try settings.required("username"),
            password: try credentials.require("PARLEY_KANNEL_PASSWORD", for: "the kannel gateway"),
            publicBaseURL: settings["public_base_url"], webhookSecret: credentials["PARLEY_KANNEL_WEBHOOK_SECRET"],
            smsc: settings["smsc"], timeout: settings.timeout)
    }

    static func webhooks(_ settings: ProviderSettings, credentials: Credentials, options: WebhookOptions) -> (any WebhookProvider)? {
        KannelWebhooks(secret: credentials["PARLEY_KANNEL_WEBHOOK_SECRET"], allowedAddresses: options.kannelAllowedAddresses)
    }

    static func problems(_ settings: ProviderSettings, credentials: Credentials, serving: Bool) -> [String] {
        var problems: [String] = []
        if settings["public_base_url"] == nil { problems.append("gateway.public_base_url is not set: Kannel cannot send delivery reports to Parley") }
        if serving, credentials["PARLEY_KANNEL_WEBHOOK_SECRET"] == nil {
            problems.append("PARLEY_KANNEL_WEBHOOK_SECRET is not set: 'parley serve' refuses Kannel callbacks without the per-install secret")
        }
        return problems
    }
}
