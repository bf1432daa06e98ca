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
        /// The business's line it went from or came in on.
        public var line: PhoneNumber?
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
    /// When it was last closed, even if reopened since: a reply after it
    /// is a new episode's first reply.
    public let lastClosedAt: Date?
    public let state: ConversationState
    public let consent: ConsentState

    public var displayName: String { name ?? number.formatted }

    /// Reads only what a summary needs: the contact, the events, the newest
    /// messages back to the last of each direction, and the receipts of the
    /// newest one—not every message of a long conversation.
    public static func load(_ number: PhoneNumber, from snapshot: any StoreSnapshot) throws(ParleyError) -> ConversationSummary? {
        let directory = MailboxLayout.conversationDirectory(number)
        guard try snapshot.list(directory) != nil else { return nil }
        let contactPath = MailboxLayout.contactPath(number)
        let contact = try snapshot.read(contactPath).map { data throws(ParleyError) in try Contact.parse(data, path: contactPath) }
        let names = (try snapshot.list(MailboxLayout.messagesDirectory(number)) ?? [])
            .filter { !$0.isDirectory && $0.name.hasSuffix(".md") }.map(\.name).sorted()
        var newest: [Message] = []
        var sawInbound = false, sawOutbound = false
        for name in names.reversed() where !(sawInbound && sawOutbound) {
            let path = MailboxLayout.messagesDirectory(number) + "/" + name
            guard let data = try snapshot.read(path) else { continue }
            let message = try Message.parse(data, path: path)
            newest.insert(message, at: 0)
            if message.direction == .inbound { sawInbound = true } else { sawOutbound = true }
        }
        var deliveries: [String: [DeliveryRecord]] = [:]
        if let last = newest.last, last.direction == .outbound {
            for entry in try snapshot.list(MailboxLayout.receiptsDirectory(number)) ?? [] where entry.name.hasPrefix(last.id + ".") {
                let path = MailboxLayout.receiptsDirectory(number) + "/" + entry.name
                if let data = try snapshot.read(path) { deliveries[last.id, default: []].append(try DeliveryRecord.parse(data, path: path)) }
            }
        }
        var events: [ConversationEvent] = []
        for entry in try snapshot.list(MailboxLayout.eventsDirectory(number)) ?? [] where entry.name.hasSuffix(".yaml") {
            let path = MailboxLayout.eventsDirectory(number) + "/" + entry.name
            if let data = try snapshot.read(path) { events.append(try ConversationEvent.parse(data, path: path)) }
        }
        // Only the newest inbound message can reopen a closed conversation,
        // so the newest messages fold to the same state as all of them.
        let partial = Conversation(number: number, contact: contact, messages: newest, deliveries: deliveries, events: events,
                                   consentEvents: try Conversation.consentEvents(of: number, in: snapshot))
        return ConversationSummary(partial, messageCount: names.count)
    }

    public init(_ conversation: Conversation) {
        self.init(conversation, messageCount: conversation.messages.count)
    }

    private init(_ conversation: Conversation, messageCount: Int) {
        number = conversation.number
        name = conversation.contact?.name
        timeZone = conversation.contact?.timeZone
        self.messageCount = messageCount
        lastMessage = conversation.messages.last.map { message in
            LastMessage(
                direction: message.direction, time: message.time, preview: Self.preview(message.body),
                status: conversation.status(of: message), agent: message.agent,
                line: message.direction == .inbound ? message.to : message.from)
        }
        lastInboundAt = conversation.messages.last { $0.direction == .inbound }?.time
        lastOutboundAt = conversation.messages.last { $0.direction == .outbound }?.time
        lastClosedAt = conversation.events.last { $0.kind == .close }?.time
        // An automation's text (an after-hours reply) answers nobody: the customer still waits for a person.
        let unanswered = conversation.messages.reversed().filter { Automation.name(ofAgent: $0.agent) == nil }.prefix { $0.direction == .inbound }
        waitingSince = unanswered.last?.time
        state = conversation.state
        consent = conversation.consent
    }

    /// The first line of a body, shortened to 60 characters.
    static func preview(_ body: String) -> String {
        let line = body.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        let more = line.count > 60 || body.contains(where: \.isNewline)
        return more ? String(line.prefix(59)) + "…" : line
    }
}
