import Foundation
import ParleyCore

/// The sandbox's registration: an in-process gateway that calls no webhooks and needs no secret.
enum SandboxProvider: GatewayProvider {
    static let name = "sandbox"

    static func gateway(_ settings: ProviderSettings, credentials: Credentials, clock: ParleyClock) throws(ParleyError) -> any Gateway {
        SandboxGateway(clock: clock)
    }

    static func webhooks(_ settings: ProviderSettings, credentials: Credentials, options: WebhookOptions) throws(ParleyError) -> (any WebhookProvider)? { nil }

    static func problems(_ settings: ProviderSettings, credentials: Credentials, serving: Bool) -> [String] { [] }
}
