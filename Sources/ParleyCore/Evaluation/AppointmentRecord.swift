import Foundation

/// An appointment (or event, or deal date) another system booked, imported
/// beside the customer's conversation (`appointments/STAMP-ID.yaml`) so an
/// automation can text ahead of it. The id is derived from the number, the
/// time and the use case—the same parts as its outcome's—so importing
/// again finds the record, and an automation's holdout and the evaluation
/// name the same appointment.
public struct AppointmentRecord: Equatable, Sendable, Codable {
    public var id: String
    public var number: PhoneNumber
    public var time: Date
    public var useCase: String
    /// The file it came from.
    public var source: String
    public var importedBy: String

    public init(number: PhoneNumber, time: Date, useCase: String, source: String, importedBy: String) {
        id = StableID.make(prefix: "AP", from: [number.e164, Timestamp.format(time), useCase])
        self.number = number
        self.time = time
        self.useCase = useCase
        self.source = source
        self.importedBy = importedBy
    }

    public var path: String { MailboxLayout.appointmentPath(number, time: time, id: id) }

    public func fileData() -> Data { recordFileData() }

    public static func parse(_ data: Data, path: String) throws(ParleyError) -> AppointmentRecord {
        try readRecordFile(data, path: path)
    }
}

extension AppointmentRecord: RecordFile {}
