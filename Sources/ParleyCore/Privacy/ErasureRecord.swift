import Foundation

/// `erasures/STAMP-ID.yaml` on the records branch: that an erasure
/// happened—when, who, why, how much—and what another clone needs to do
/// the same to its own history. Never the number or anything erased: a
/// number is named only by its keyed hash (`SuppressionList`).
public struct ErasureRecord: Equatable, Sendable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// One person's number: their conversation folder and every mention.
        case number
        /// Messages (with their receipts) older than `messagesBefore`, under the retention policy.
        case messages
    }

    public var id: String
    public var kind: Kind
    public var time: Date
    public var by: String
    public var reason: String
    /// The erased number's keyed hash (kind `number`): how another clone
    /// finds the conversation to erase, and the suppression entry's name.
    public var numberHash: String?
    /// The cut-off of a retention erasure (kind `messages`).
    public var messagesBefore: Date?
    public var filesRemoved: Int
    public var commitsRewritten: Int

    public init(id: String, kind: Kind, time: Date, by: String, reason: String, numberHash: String? = nil, messagesBefore: Date? = nil,
                filesRemoved: Int = 0, commitsRewritten: Int = 0) {
        self.id = id
        self.kind = kind
        self.time = time
        self.by = by
        self.reason = reason
        self.numberHash = numberHash
        self.messagesBefore = messagesBefore
        self.filesRemoved = filesRemoved
        self.commitsRewritten = commitsRewritten
    }

    public var path: String { MailboxLayout.erasurePath(time: time, id: id) }

    public func fileData() -> Data {
        var yaml = YAMLWriter()
        yaml.field("id", id)
        yaml.field("kind", kind.rawValue)
        yaml.field("time", time)
        yaml.field("by", by)
        yaml.field("reason", reason)
        yaml.field("number_hash", numberHash)
        yaml.field("messages_before", messagesBefore)
        yaml.field("files_removed", filesRemoved)
        yaml.field("commits_rewritten", commitsRewritten)
        return Data(yaml.text.utf8)
    }

    public static func parse(_ data: Data, path: String) throws(ParleyError) -> ErasureRecord {
        let fields = try YAMLFields.parseMapping(data, path: path)
        return ErasureRecord(
            id: try fields.string("id"), kind: try fields.choice("kind", of: Kind.self), time: try fields.date("time"), by: try fields.string("by"),
            reason: try fields.string("reason"), numberHash: try fields.optionalString("number_hash"),
            messagesBefore: try fields.optionalDate("messages_before"), filesRemoved: try fields.int("files_removed") ?? 0,
            commitsRewritten: try fields.int("commits_rewritten") ?? 0)
    }

    /// Every erasure record of a snapshot, by file name.
    public static func all(in snapshot: any StoreSnapshot) throws(ParleyError) -> [String: ErasureRecord] {
        var records: [String: ErasureRecord] = [:]
        for entry in try snapshot.list(MailboxLayout.erasuresDirectory) ?? [] where !entry.isDirectory && entry.name.hasSuffix(".yaml") {
            let path = MailboxLayout.erasuresDirectory + "/" + entry.name
            if let data = try snapshot.read(path) { records[entry.name] = try parse(data, path: path) }
        }
        return records
    }
}
