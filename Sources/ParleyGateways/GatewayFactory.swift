import Foundation
import NIOCore
import ParleyCore

/// Builds the gateway `parley.yaml` names, with its secrets from
/// `Credentials`, and says exactly what is missing when it cannot.
public enum GatewayFactory {
    /// Keys that would be secrets: refused in `parley.yaml`.
    static let secretKeys = ["auth_token", "token", "password", "secret", "api_key", "apikey", "webhook_secret"]

    /// Whether a `gateway:` setting's name says it holds a secret.
    public static func isSecretKey(_ key: String) -> Bool {
        secretKeys.contains { key.lowercased().contains($0) }
    }

    public static func make(_ config: MailboxConfig, credentials: Credentials, clock: ParleyClock = .system) throws(ParleyError) -> any Gateway {
        let settings = config.gateway.settings
        if let leaked = settings.keys.sorted().first(where: isSecretKey) {
            throw .invalidInput("parley.yaml: gateway.\(leaked) looks like a secret; remove it (and from the Git history) and set it in the environment or ~/.config/parley/credentials")
        }
        let timeout = TimeAmount.seconds(Int64(settings["timeout_seconds"].flatMap(Int.init) ?? 15))
        switch config.gateway.provider {
        case "sandbox":
            return SandboxGateway(clock: clock)
        case "twilio":
            return TwilioGateway(
                accountSID: try required(settings, "account_sid", "twilio"),
                authToken: try credentials.require("PARLEY_TWILIO_AUTH_TOKEN", for: "the twilio gateway"),
                apiBaseURL: settings["api_base_url"] ?? "https://api.twilio.com", publicBaseURL: settings["public_base_url"], timeout: timeout)
        case "kannel":
            return KannelGateway(
                sendsmsURL: try required(settings, "sendsms_url", "kannel"), username: try required(settings, "username", "kannel"),
                password: try credentials.require("PARLEY_KANNEL_PASSWORD", for: "the kannel gateway"),
                publicBaseURL: settings["public_base_url"], webhookSecret: credentials["PARLEY_KANNEL_WEBHOOK_SECRET"],
                smsc: settings["smsc"], timeout: timeout)
        case let other:
            throw .invalidInput("parley.yaml: unknown gateway provider '\(other)'; use sandbox, twilio or kannel")
        }
    }

    /// Every problem with the gateway configuration, for `parley gateway check`.
    public static func problems(_ config: MailboxConfig, credentials: Credentials, serving: Bool) -> [String] {
        var problems: [String] = []
        do {
            _ = try make(config, credentials: credentials)
        } catch {
            problems.append(error.description)
        }
        let settings = config.gateway.settings
        switch config.gateway.provider {
        case "twilio":
            if settings["public_base_url"] == nil {
                problems.append("gateway.public_base_url is not set: Twilio cannot send status callbacks, and 'parley serve' cannot check X-Twilio-Signature without the public URL Twilio calls")
            }
        case "kannel":
            if settings["public_base_url"] == nil { problems.append("gateway.public_base_url is not set: Kannel cannot send delivery reports to Parley") }
            if serving, credentials["PARLEY_KANNEL_WEBHOOK_SECRET"] == nil {
                problems.append("PARLEY_KANNEL_WEBHOOK_SECRET is not set: 'parley serve' refuses Kannel callbacks without the per-install secret")
            }
        default:
            break
        }
        return problems
    }

    private static func required(_ settings: [String: String], _ key: String, _ provider: String) throws(ParleyError) -> String {
        guard let value = settings[key], !value.isEmpty else {
            throw .invalidInput("parley.yaml: the \(provider) gateway needs gateway.\(key)")
        }
        return value
    }
}
