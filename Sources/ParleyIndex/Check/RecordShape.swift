import Foundation
import ParleyCore

/// Where a record file belongs, worked out from its contents alone: a
/// message's time and id name its file, a receipt's message and status
/// name its, and every record belongs to the conversation of its number.
enum RecordShape {
    struct Expected {
        let path: String
        /// Said instead of the bare path, when the problem is the number.
        let problem: String?
    }

    /// The path the file's contents call for, and the id it claims.
    static func expected(_ kind: String, data: Data, path: String, number: PhoneNumber) throws(ParleyError) -> (Expected, String?) {
        switch kind {
        case "messages":
            let message = try Message.parse(data, path: path)
            return (at(MailboxLayout.messagePath(message.counterpart, time: message.time, id: message.id), message.counterpart, number),
                    message.id)
        case "receipts":
            let record = try DeliveryRecord.parse(data, path: path)
            return (at(MailboxLayout.receiptPath(number, messageID: record.messageID, status: record.status), number, number), nil)
        case "events":
            let event = try ConversationEvent.parse(data, path: path)
            return (at(MailboxLayout.eventPath(number, time: event.time, id: event.id), number, number), event.id)
        case "consent":
            let event = try ConsentEvent.parse(data, path: path)
            return (at(MailboxLayout.consentPath(event.number, time: event.time, id: event.id), event.number, number), event.id)
        case "appointments":
            let record = try AppointmentRecord.parse(data, path: path)
            return (at(MailboxLayout.appointmentPath(record.number, time: record.time, id: record.id), record.number, number), nil)
        case "automations":
            let record = try AutomationRecord.parse(data, path: path)
            return (at(MailboxLayout.automationRecordPath(record.number, time: record.time, id: record.id), record.number, number), nil)
        default:
            let record = try OutcomeRecord.parse(data, path: path)
            return (at(MailboxLayout.outcomePath(record.number, time: record.time, id: record.id), record.number, number), nil)
        }
    }

    private static func at(_ path: String, _ named: PhoneNumber, _ folder: PhoneNumber) -> Expected {
        Expected(path: path, problem: named == folder ? nil : "the record is for \(named.e164), not this conversation's number")
    }
}
