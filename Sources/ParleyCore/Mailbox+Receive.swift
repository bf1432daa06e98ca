import Foundation

/// What `receive` did.
public struct ReceiveResult: Sendable {
    public let message: Message
    /// Nil when the message was already stored (a retried webhook).
    public let commit: CommitRecord?
    public var isDuplicate: Bool { commit == nil }
}

extension Mailbox {
    /// Stores an inbound message. With the gateway's id, a second delivery
    /// of the same message finds it stored and commits nothing.
    public func receive(
        from number: PhoneNumber, to: PhoneNumber? = nil, body: String, gateway: String,
        gatewayID: String? = nil, time: Date? = nil
    ) throws(ParleyError) -> ReceiveResult {
        let now = time ?? clock.now()
        let id: String
        if let gatewayID {
            id = try MessageID.validated(gatewayID)
        } else {
            id = try nextMessageID(with: number, in: store.snapshot(), at: now)
        }
        guard body.count <= Self.maximumBodyLength * 4 else {
            throw .invalidInput("the message has \(body.count) characters; inbound messages over \(Self.maximumBodyLength * 4) are refused")
        }
        let segments = SegmentCount(body)
        let message = Message(
            id: id, direction: .inbound, time: now, from: number, to: to ?? config.businessNumber, agent: nil,
            gateway: gateway, gatewayID: gatewayID, status: .received, segments: segments.segments,
            encoding: segments.encoding.rawValue, body: body)
        let commit = try store.commit { snapshot throws(ParleyError) in
            if try Self.storedMessage(id: id, of: number, in: snapshot) { return nil }
            return change(
                [MailboxLayout.messagePath(number, time: message.time, id: id): message.fileData()],
                CommitMessage(
                    subject: "Receive message from \(label(number, in: snapshot))",
                    trailers: [("Parley-Action", "receive"), ("Parley-Number", number.e164), ("Parley-Message-Id", id),
                               ("Parley-Gateway", gateway)]))
        }
        return ReceiveResult(message: message, commit: commit)
    }

    /// Whether a message with `id` is stored in the conversation, whatever
    /// time its file name carries.
    static func storedMessage(id: String, of number: PhoneNumber, in snapshot: any StoreSnapshot) throws(ParleyError) -> Bool {
        try snapshot.list(MailboxLayout.messagesDirectory(number))?.contains {
            MailboxLayout.messageID(fromFileName: $0.name) == id
        } ?? false
    }
}
