import Foundation

/// Everything stored about one number, read from its directory: contact
/// facts, messages in time order, delivery records and triage events.
public struct Conversation: Sendable {
    public let number: PhoneNumber
    public let contact: Contact?
    public let messages: [Message]
    /// Delivery records by message id, oldest first.
    public let deliveries: [String: [DeliveryRecord]]
    public let events: [ConversationEvent]
    /// The consent ledger, oldest first.
    public let consentEvents: [ConsentEvent]

    public var consent: ConsentState { ConsentState.fold(consentEvents) }

    public var state: ConversationState {
        ConversationState.fold(events: events, inboundTimes: messages.filter { $0.direction == .inbound }.map(\.time))
    }

    /// The message's status after every delivery record (forward only).
    public func status(of message: Message) -> DeliveryStatus {
        DeliveryRecord.effectiveStatus(of: deliveries[message.id] ?? [], initial: message.status)
    }

    /// The record that set the message's current status, for its time and error.
    public func latestRecord(of message: Message) -> DeliveryRecord? {
        let status = status(of: message)
        return deliveries[message.id]?.last { $0.status == status }
    }

    /// Reads a conversation; nil when nothing is stored for the number.
    public static func load(_ number: PhoneNumber, from snapshot: any StoreSnapshot) throws(ParleyError) -> Conversation? {
        let directory = MailboxLayout.conversationDirectory(number)
        guard try snapshot.list(directory) != nil else { return nil }
        let contactPath = MailboxLayout.contactPath(number)
        let contact = try snapshot.read(contactPath).map { data throws(ParleyError) in try Contact.parse(data, path: contactPath) }
        if let contact, contact.number != number {
            throw .malformed(FormatIssue(path: contactPath, line: 2, problem: "number \(contact.number) does not match its folder \(number)"))
        }

        var messages: [Message] = []
        for (path, data) in try files(in: MailboxLayout.messagesDirectory(number), snapshot, suffix: ".md") {
            let message = try Message.parse(data, path: path)
            guard message.counterpart == number else {
                throw .malformed(FormatIssue(path: path, line: nil, problem: "message is with \(message.counterpart), not \(number)"))
            }
            messages.append(message)
        }
        messages.sort { ($0.time, $0.id) < ($1.time, $1.id) }

        var deliveries: [String: [DeliveryRecord]] = [:]
        for (path, data) in try files(in: MailboxLayout.receiptsDirectory(number), snapshot, suffix: ".yaml") {
            let record = try DeliveryRecord.parse(data, path: path)
            deliveries[record.messageID, default: []].append(record)
        }
        for key in deliveries.keys { deliveries[key]!.sort { ($0.time, $0.status.rank) < ($1.time, $1.status.rank) } }

        var events: [ConversationEvent] = []
        for (path, data) in try files(in: MailboxLayout.eventsDirectory(number), snapshot, suffix: ".yaml") {
            events.append(try ConversationEvent.parse(data, path: path))
        }
        events.sort { ($0.time, $0.id) < ($1.time, $1.id) }
        let consent = try consentEvents(of: number, in: snapshot)
        return Conversation(number: number, contact: contact, messages: messages, deliveries: deliveries, events: events, consentEvents: consent)
    }

    /// The consent ledger of a number, oldest first; checks each entry names the number of its folder.
    static func consentEvents(of number: PhoneNumber, in snapshot: any StoreSnapshot) throws(ParleyError) -> [ConsentEvent] {
        var events: [ConsentEvent] = []
        for (path, data) in try files(in: MailboxLayout.consentDirectory(number), snapshot, suffix: ".yaml") {
            let event = try ConsentEvent.parse(data, path: path)
            guard event.number == number else {
                throw .malformed(FormatIssue(path: path, line: nil, problem: "consent record for \(event.number) filed under \(number)"))
            }
            events.append(event)
        }
        return events.sorted { ($0.time, $0.id) < ($1.time, $1.id) }
    }

    private static func files(in directory: String, _ snapshot: any StoreSnapshot, suffix: String) throws(ParleyError) -> [(String, Data)] {
        var found: [(String, Data)] = []
        for entry in try snapshot.list(directory) ?? [] where !entry.isDirectory && entry.name.hasSuffix(suffix) {
            let path = directory + "/" + entry.name
            if let data = try snapshot.read(path) { found.append((path, data)) }
        }
        return found
    }
}
