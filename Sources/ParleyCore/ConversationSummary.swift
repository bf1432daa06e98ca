import Foundation

/// The facts the inbox and contact list need about one conversation,
/// computed from its files and cached by the directory's content id.
public struct ConversationSummary: Codable, Sendable, Equatable {
    public struct LastMessage: Codable, Sendable, Equatable {
        public let direction: Direction
        public let time: Date
        public let preview: String
        public let status: DeliveryStatus
        public let agent: String?
    }

    public let number: PhoneNumber
    public let name: String?
    public let timeZone: String?
    public let messageCount: Int
    public let lastMessage: LastMessage?
    /// Time of the first inbound message after our last reply, while the
    /// customer is waiting for an answer.
    public let waitingSince: Date?
    public let lastInboundAt: Date?
    public let lastOutboundAt: Date?
    public let state: ConversationState

    public var displayName: String { name ?? number.formatted }

    public init(_ conversation: Conversation) {
        number = conversation.number
        name = conversation.contact?.name
        timeZone = conversation.contact?.timeZone
        messageCount = conversation.messages.count
        lastMessage = conversation.messages.last.map { message in
            LastMessage(
                direction: message.direction, time: message.time, preview: Self.preview(message.body),
                status: conversation.status(of: message), agent: message.agent)
        }
        lastInboundAt = conversation.messages.last { $0.direction == .inbound }?.time
        lastOutboundAt = conversation.messages.last { $0.direction == .outbound }?.time
        let unanswered = conversation.messages.reversed().prefix { $0.direction == .inbound }
        waitingSince = unanswered.last?.time
        state = conversation.state
    }

    /// The first line of a body, shortened to 60 characters.
    static func preview(_ body: String) -> String {
        let line = body.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        let more = line.count > 60 || body.contains(where: \.isNewline)
        return more ? String(line.prefix(59)) + "…" : line
    }
}
