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

    public func fileData() -> Data { recordFileData() }

    public static func parse(_ data: Data, path: String) throws(ParleyError) -> ErasureRecord {
        try readRecordFile(data, path: path)
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

extension ErasureRecord: RecordFile {}
extension ErasureRecord.Kind: RecordChoice {}
