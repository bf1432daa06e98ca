import Foundation
import ParleyCore

/// Writes one customer's records the way Parley writes them—a contact, a
/// consent record, messages with their receipts, triage events—through
/// Core's own types, so the sample always follows the current format.
struct SampleWriter {
    struct Customer {
        let number: PhoneNumber
        let name: String
        var first: String { String(name.split(separator: " ")[0]) }
    }

    var random: SampleRandom
    private(set) var files: [String: Data] = [:]
    /// Customers already written to: a first message must say how to opt out, as the send gate requires.
    private var contacted: Set<PhoneNumber> = []

    init(seed: UInt64) { random = SampleRandom(seed: seed) }

    mutating func id(_ time: Date) -> String { ULID(time: time, randomBytes: random.bytes(10)).string }

    mutating func contact(_ customer: Customer, consentedDaysBefore days: Int, firstContact: Date) {
        files[MailboxLayout.contactPath(customer.number)] = Contact(number: customer.number, name: customer.name, timeZone: "America/Chicago",
                                                                    state: "IL").fileData()
        let time = firstContact.addingTimeInterval(-Double(days) * 86_400)
        let grant = ConsentEvent(id: id(time), kind: .granted, time: time, number: customer.number, name: customer.name,
                                 disclosure: SampleClinic.disclosure, purpose: "appointment reminders and billing", method: .webForm,
                                 source: "https://brightsmile.example/book", actor: "dana")
        files[MailboxLayout.consentPath(customer.number, time: time, id: grant.id)] = grant.fileData()
    }

    @discardableResult
    mutating func inbound(_ customer: Customer, _ time: Date, _ body: String) -> Message {
        let message = Message(id: id(time), direction: .inbound, time: time, from: customer.number, to: SampleClinic.business, agent: nil,
                              gateway: "twilio", gatewayID: "SM" + id(time).lowercased(), status: .received, segments: 1, encoding: "GSM-7",
                                  body: body)
        files[MailboxLayout.messagePath(customer.number, time: time, id: message.id)] = message.fileData()
        return message
    }

    /// An outbound message with its receipts: queued, sent, then delivered—or, now and then, undelivered with Twilio's error code.
    @discardableResult
    mutating func outbound(_ customer: Customer, _ time: Date, agent: String, _ body: String, template: String? = nil,
                           overrides: [Override] = []) -> Message {
        let body = contacted.insert(customer.number).inserted && !body.contains("STOP") ? body + " Reply STOP to opt out." : body
        let segments = SegmentCount(body)
        let message = Message(id: id(time), direction: .outbound, time: time, from: SampleClinic.business, to: customer.number, agent: agent,
                              gateway: "twilio", gatewayID: "SM" + id(time).lowercased(), status: .queued, segments: segments.segments,
                              encoding: segments.encoding.rawValue, template: template, overrides: overrides, body: body)
        files[MailboxLayout.messagePath(customer.number, time: time, id: message.id)] = message.fileData()
        let price = String(format: "-%.4f", 0.0079 * Double(segments.segments))
        var last = DeliveryStatus.delivered, code: String? = nil
        if random.chance(0.03) { (last, code) = (.undelivered, random.pick(["30003", "30005", "30006", "30007"])) }
        for (offset, status) in [(1.0, DeliveryStatus.queued), (2.0, .sent), (6.0, last)] {
            let record = DeliveryRecord(messageID: message.id, status: status, time: time.addingTimeInterval(offset), gateway: "twilio",
                                        gatewayID: message.gatewayID, errorCode: status == last ? code : nil,
                                        price: status == last ? price : nil, priceUnit: status == last ? "USD" : nil)
            files[MailboxLayout.receiptPath(customer.number, messageID: message.id, status: status)] = record.fileData()
        }
        return message
    }

    mutating func event(_ customer: Customer, _ kind: ConversationEvent.Kind, _ time: Date, by agent: String, assignee: String? = nil,
                        useCase: String? = nil, outcome: String? = nil, note: String? = nil) {
        let event = ConversationEvent(id: id(time), kind: kind, time: time, by: agent, assignee: assignee, note: note, useCase: useCase,
                                      outcome: outcome)
        files[MailboxLayout.eventPath(customer.number, time: time, id: event.id)] = event.fileData()
    }

    /// A STOP: the keyword, the opt-out on the ledger and Parley's automatic answer.
    mutating func optOut(_ customer: Customer, _ time: Date) {
        let stop = inbound(customer, time, "STOP")
        let record = ConsentEvent(id: id(time), kind: .optedOut, time: time, number: customer.number, method: .keyword,
                                  source: "keyword STOP", actor: Agent.systemHandle, messageID: stop.id, note: "texted \"STOP\"")
        files[MailboxLayout.consentPath(customer.number, time: time, id: record.id)] = record.fileData()
        outbound(customer, time.addingTimeInterval(2), agent: Agent.systemHandle,
                 "Bright Smile Dental: you are unsubscribed and will receive no more messages. Reply START to resubscribe.")
    }

    /// A reply that may ask us to stop: held for review, then decided by a person.
    mutating func review(_ customer: Customer, _ time: Date, body: String, decided: Date, by agent: String, optOut: Bool) {
        let message = inbound(customer, time, body)
        let opened = ConsentEvent(id: id(time), kind: .reviewOpened, time: time, number: customer.number, method: .review, actor: Agent.systemHandle,
                                  messageID: message.id, note: "reply may be a request to stop: \"\(body)\"")
        files[MailboxLayout.consentPath(customer.number, time: time, id: opened.id)] = opened.fileData()
        let resolved = ConsentEvent(id: id(decided), kind: .reviewResolved, time: decided, number: customer.number, method: .review, actor: agent,
                                    messageID: message.id, resolution: optOut ? "opt_out" : "keep",
                                    note: optOut ? "Asked us to stop" : "Not a request to stop")
        files[MailboxLayout.consentPath(customer.number, time: decided, id: resolved.id)] = resolved.fileData()
    }

    /// Writes every file under `directory`.
    func flush(to directory: String) throws {
        for (path, data) in files {
            let url = URL(fileURLWithPath: directory).appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
        }
    }
}
