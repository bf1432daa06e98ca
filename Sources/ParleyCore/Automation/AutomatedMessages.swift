import Foundation

/// Records messages other systems sent (`parley import`, the automation
/// endpoint of `parley serve`) in one commit, idempotently: a message whose
/// provider id is already in its conversation—recorded before, or sent by
/// Parley itself—is left alone, and so is an erased number.
public struct AutomatedMessages {
    public struct Result: Sendable, Equatable, Encodable {
        public var recorded: [String] = []
        /// Already in the mailbox (an earlier import, or Parley's own send).
        public var alreadyThere = 0
        /// For numbers erased from the mailbox: never recorded.
        public var suppressed = 0
        public var commit: String?
    }

    let mailbox: Mailbox

    public init(mailbox: Mailbox) { self.mailbox = mailbox }

    public func record(_ messages: [AutomatedMessage], source: String) throws(ParleyError) -> Result {
        var result = Result()
        let business = mailbox.config.businessNumber
        let commit = try mailbox.store.commit { snapshot throws(ParleyError) -> StoreChange? in
            result = Result()
            var files: [String: Data?] = [:]
            var known: [PhoneNumber: Set<String>] = [:]
            for automated in messages {
                if try SuppressionList.refusal(for: automated.to, in: snapshot) != nil {
                    result.suppressed += 1
                    continue
                }
                if known[automated.to] == nil { known[automated.to] = try Self.providerIDs(of: automated.to, in: snapshot) }
                guard known[automated.to]?.insert(automated.providerID).inserted == true else {
                    result.alreadyThere += 1
                    continue
                }
                let id = try MessageID.validated(automated.providerID)
                let segments = SegmentCount(automated.body)
                let message = Message(
                    id: id, direction: .outbound, time: automated.time, from: automated.from ?? business, to: automated.to,
                    agent: AutomatedMessage.agent(try AutomatedMessage.validSystem(automated.system)), gateway: automated.gateway,
                    gatewayID: automated.providerID, status: automated.status, segments: segments.segments,
                    encoding: segments.encoding.rawValue, body: automated.body)
                files[MailboxLayout.messagePath(automated.to, time: automated.time, id: id)] = message.fileData()
                result.recorded.append(id)
            }
            guard !files.isEmpty else { return nil }
            return mailbox.change(files, CommitMessage(
                subject: "Record \(result.recorded.count) automated message\(result.recorded.count == 1 ? "" : "s") from \(source)",
                action: .recordAutomated, trailers: [(.gateway, messages.first?.gateway ?? "import")]))
        }
        result.commit = commit?.id
        return result
    }

    /// The provider ids and message ids of a conversation's messages.
    static func providerIDs(of number: PhoneNumber, in snapshot: any StoreSnapshot) throws(ParleyError) -> Set<String> {
        var ids = Set<String>()
        for entry in try snapshot.list(MailboxLayout.messagesDirectory(number)) ?? [] {
            let path = MailboxLayout.messagesDirectory(number) + "/" + entry.name
            if let id = MailboxLayout.messageID(fromFileName: entry.name) { ids.insert(id) }
            if let data = try snapshot.read(path), let gatewayID = try Message.parse(data, path: path).gatewayID { ids.insert(gatewayID) }
        }
        return ids
    }
}
