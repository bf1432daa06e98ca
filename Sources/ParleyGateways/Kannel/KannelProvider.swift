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

    static func webhooks(_ settings: ProviderSettings, credentials: Credentials, options: WebhookOptions) throws(ParleyError) -> (any WebhookProvider)? {
        KannelWebhooks(secret: credentials["PARLEY_KANNEL_WEBHOOK_SECRET"], allowedAddresses: try callbackAddresses(settings))
    }

    /// `gateway.callback_addresses`: where Kannel's callbacks may come from (comma-separated; default this machine).
    static func callbackAddresses(_ settings: ProviderSettings) throws(ParleyError) -> [String] {
        guard let text = settings["callback_addresses"] else { return ["127.0.0.1", "::1"] }
        let addresses = text.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
        if let bad = addresses.first(where: { AddressAllowlist.canonicalBytes($0) == nil }) {
            throw .invalidInput("parley.yaml: gateway.callback_addresses: '\(bad)' is not an IP address (e.g. 10.0.0.5 or ::1)")
        }
        return addresses
    }

    static func problems(_ settings: ProviderSettings, credentials: Credentials, serving: Bool) -> [String] {
        var problems: [String] = []
        if settings["public_base_url"] == nil { problems.append("gateway.public_base_url is not set: Kannel cannot send delivery reports to Parley") }
        do { _ = try callbackAddresses(settings) } catch { problems.append(error.description) }
        if serving, credentials["PARLEY_KANNEL_WEBHOOK_SECRET"] == nil {
            problems.append("PARLEY_KANNEL_WEBHOOK_SECRET is not set: 'parley serve' refuses Kannel callbacks without the per-install secret")
        }
        return problems
    }
}
