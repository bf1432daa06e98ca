import Foundation

/// What happened outside the mailbox, imported from another system: an
/// appointment book's "attended", "no-show" or "cancelled" for a customer's
/// appointment at a time. Kept beside the customer's conversation
/// (`outcomes/STAMP-ID.yaml`) so `parley report evaluation` can ask whether
/// texting them changed the outcome. The id is derived from the number,
/// the time and the use case: importing again finds the record, and a
/// corrected outcome rewrites it.
public struct OutcomeRecord: Equatable, Sendable, Codable {
    public var id: String
    public var number: PhoneNumber
    /// When the appointment (or event, or deal) was.
    public var time: Date
    public var useCase: String
    public var outcome: String
    /// The file it came from.
    public var source: String
    public var importedBy: String

    public init(number: PhoneNumber, time: Date, useCase: String, outcome: String, source: String, importedBy: String) {
        self.id = StableID.make(prefix: "OC", from: [number.e164, Timestamp.format(time), useCase])
        self.number = number
        self.time = time
        self.useCase = useCase
        self.outcome = outcome
        self.source = source
        self.importedBy = importedBy
    }

    public var path: String { MailboxLayout.outcomePath(number, time: time, id: id) }

    public func fileData() -> Data { recordFileData() }

    public static func parse(_ data: Data, path: String) throws(ParleyError) -> OutcomeRecord {
        try readRecordFile(data, path: path)
    }
}

extension OutcomeRecord: RecordFile {}
