import Foundation

/// A message another system sent through the same provider account—an
/// appointment-reminder service, a booking tool—recorded so the customer's
/// reply is read next to what it answers. It is stored as an outbound
/// message whose agent is `automated:SYSTEM`: Parley did not send it and
/// did not gate it, and the thread, the audit and the reports say so.
public struct AutomatedMessage: Sendable, Equatable {
    public var to: PhoneNumber
    /// The sender number; nil: the business number.
    public var from: PhoneNumber?
    public var body: String
    public var time: Date
    /// The provider's id: what makes recording it again a no-op.
    public var providerID: String
    /// The provider that carried it (`twilio`), or `import` for a file.
    public var gateway: String
    public var status: DeliveryStatus
    /// The system that sent it, as people call it (`reminders`).
    public var system: String

    public init(to: PhoneNumber, from: PhoneNumber?, body: String, time: Date, providerID: String, gateway: String, status: DeliveryStatus,
                system: String) {
        self.to = to
        self.from = from
        self.body = body
        self.time = time
        self.providerID = providerID
        self.gateway = gateway
        self.status = status
        self.system = system
    }

    static let agentPrefix = "automated:"

    /// The agent recorded for a message `system` sent.
    public static func agent(_ system: String) -> String { agentPrefix + system }

    /// Whether a message's agent says another system sent it (the audit and the reports read agents from the index).
    public static func isAutomated(agent: String?) -> Bool { agent?.hasPrefix(agentPrefix) == true }

    /// The system of a message recorded this way; nil for every other message.
    public static func system(of message: Message) -> String? {
        guard message.direction == .outbound, let agent = message.agent, isAutomated(agent: agent) else { return nil }
        return String(agent.dropFirst(agentPrefix.count))
    }

    /// A system name: 1–40 letters, digits, `-`, `_` or `.`.
    public static func validSystem(_ name: String) throws(ParleyError) -> String {
        guard (1...40).contains(name.count), name.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0)
            || "-_.".unicodeScalars.contains($0)) }) else {
            throw .invalidInput("the system name '\(name)' must be 1–40 letters, digits, '-', '_' or '.'")
        }
        return name
    }
}
