import Foundation
import NIOCore
import ParleyCore

/// One provider's entry points: its gateway, its webhooks and what its
/// configuration lacks. A new provider is one folder holding a type that
/// conforms, plus one line in `GatewayFactory.providers`.
public protocol GatewayProvider: SendableMetatype {
    /// The `gateway.provider` value in `parley.yaml`.
    static var name: String { get }
    static func gateway(_ settings: ProviderSettings, credentials: Credentials, clock: ParleyClock) throws(ParleyError) -> any Gateway
    /// Nil for a provider that calls no webhooks.
    static func webhooks(_ settings: ProviderSettings, credentials: Credentials, options: WebhookOptions) throws(ParleyError) -> (any WebhookProvider)?
    /// What is missing for the provider to work, beyond what `gateway` refuses.
    static func problems(_ settings: ProviderSettings, credentials: Credentials, serving: Bool) -> [String]
}

/// The `gateway:` settings of `parley.yaml`, read for one provider.
public struct ProviderSettings: Sendable {
    public let provider: String
    public let values: [String: String]

    public subscript(key: String) -> String? { values[key].flatMap { $0.isEmpty ? nil : $0 } }

    public func required(_ key: String) throws(ParleyError) -> String {
        guard let value = self[key] else { throw .invalidInput("parley.yaml: the \(provider) gateway needs gateway.\(key)") }
        return value
    }

    /// How long a request to the provider may take.
    public var timeout: TimeAmount { .seconds(Int64(self["timeout_seconds"].flatMap(Int.init) ?? 15)) }
}

/// Builds the gateway `parley.yaml` names, with its secrets from
/// `Credentials`, and says exactly what is missing when it cannot.
public enum GatewayFactory {
    /// Every provider Parley knows.
    /// (Read their names with a closure: a key path to a static member through `any GatewayProvider.Type` crashes Swift 6.3's compiler.)
    static let providers: [any GatewayProvider.Type] = [
        SandboxProvider.self, TwilioProvider.self, KannelProvider.self, TelnyxProvider.self, PlivoProvider.self, VonageProvider.self,
        BandwidthProvider.self,
    ]

    /// Keys that would be secrets: refused in `parley.yaml`.
    static let secretKeys = ["auth_token", "token", "password", "secret", "api_key", "apikey", "webhook_secret"]

    /// Whether a `gateway:` setting's name says it holds a secret.
    public static func isSecretKey(_ key: String) -> Bool {
        secretKeys.contains { key.lowercased().contains($0) }
    }

    /// The gateway of `line`'s provider when it names one, else of `gateway.provider`; both read the `gateway:` settings.
    public static func make(_ config: MailboxConfig, line: SenderLine? = nil, credentials: Credentials,
                            clock: ParleyClock = .system) throws(ParleyError) -> any Gateway {
        let settings = config.gateway.settings
        let name = line?.provider ?? config.gateway.provider
        if let leaked = settings.keys.sorted().first(where: isSecretKey) {
            throw .invalidInput("parley.yaml: gateway.\(leaked) looks like a secret; remove it (and from the Git history) and set it in the "
                + "environment or ~/.config/parley/credentials")
        }
        guard let provider = providers.first(where: { $0.name == name }) else {
            throw .invalidInput("parley.yaml: unknown gateway provider '\(name)'\(line.map { " for line \($0.name)" } ?? ""); use "
                + "\(providers.map { $0.name }.joined(separator: ", "))")
        }
        return try provider.gateway(ProviderSettings(provider: provider.name, values: settings), credentials: credentials, clock: clock)
    }

    /// The webhooks of every provider: the server answers each provider's
    /// URLs, refusing with 503 those whose secrets are not set.
    /// A provider-specific setting that is wrong (Kannel's callback addresses) refuses to serve.
    public static func webhooks(_ config: MailboxConfig, credentials: Credentials, options: WebhookOptions) throws(ParleyError) -> [any WebhookProvider] {
        var webhooks: [any WebhookProvider] = []
        for provider in providers {
            let settings = ProviderSettings(provider: provider.name, values: config.gateway.settings)
            if let hooks = try provider.webhooks(settings, credentials: credentials, options: options) { webhooks.append(hooks) }
        }
        return webhooks
    }

    /// Each provider's routes and how its requests are authenticated, one line each, for `parley serve --help`.
    public static func routeSummary() -> [String] {
        providers.compactMap { provider in
            try? provider.webhooks(ProviderSettings(provider: provider.name, values: [:]), credentials: Credentials(values: [:]), options: WebhookOptions())
        }.map { hooks in
            hooks.routes.map { "\($0.methods.map(\.rawValue).joined(separator: "|")) \($0.path)" }.joined(separator: ", ") + ": " + hooks.proof
        }
    }

    /// Every problem with the gateway configuration, for `parley gateway check`.
    public static func problems(_ config: MailboxConfig, credentials: Credentials, serving: Bool) -> [String] {
        var problems: [String] = []
        for line in [nil] + config.lines.filter({ $0.provider != nil }) as [SenderLine?] {
            do {
                _ = try make(config, line: line, credentials: credentials)
            } catch {
                problems.append(error.description)
            }
        }
        if let provider = providers.first(where: { $0.name == config.gateway.provider }) {
            problems += provider.problems(ProviderSettings(provider: provider.name, values: config.gateway.settings), credentials: credentials,
                serving: serving)
        }
        return problems
    }
}
