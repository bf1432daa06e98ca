import Foundation
import ParleyCore

/// Writes a year of mailbox history onto the records branch of a bare
/// repository with the commit pattern real use makes, through
/// `git fast-import` (minutes instead of hours for a million messages):
///
/// - a consent grant per customer (contact and consent record, one commit);
/// - each send: its message and the gateway's `queued` receipt, one commit;
/// - webhooks (inbound messages, `sent` and `delivered` receipts): one
///   commit each, or one group commit for those that arrive within the same
///   two seconds, as `parley serve` commits them;
/// - an assignment after the customer's first reply and a close after the
///   last message, one commit each.
///
/// The files are the real ones (`Message.fileData()` and friends), so reads
/// of the generated mailbox parse what Parley writes.
struct HistoryGenerator {
    let conversations: Int
    let messagesPerConversation: Int
    let business: PhoneNumber
    let number: (Int) -> PhoneNumber
    let log: (String) -> Void

    /// What happens at one moment of the year.
    struct Event: Comparable {
        enum Kind: UInt8 { case consent, send, sent, delivered, inbound, assign, close }
        var time: Int32
        var conversation: Int32
        var step: Int16
        var kind: Kind

        var isWebhook: Bool { kind == .sent || kind == .delivered || kind == .inbound }
        static func < (a: Event,
            b: Event) -> Bool { (a.time, a.conversation, a.step, a.kind.rawValue) < (b.time, b.conversation, b.step, b.kind.rawValue) }
    }

    static let start = Date(timeIntervalSince1970: 1_761_955_200)  // 2025-11-01T00:00:00Z
    static let bodies = [
        "Hi {name}, this is Bright Smile Dental confirming your cleaning on Thursday at 3:30 pm. Reply C to confirm or R to reschedule.",
        "Can we move it to Friday morning? I have a work meeting",
        "Friday at 9:00 am is open with Dr. Patel. Shall I book it?",
        "Yes please, thank you!",
        "You're booked for Friday 9:00 am. We'll text a reminder the day before.",
        "Do you take Delta Dental insurance? My card changed in January",
        "We do. Please bring the new card and we'll update your file at check-in.",
        "Running 10 minutes late, sorry",
        "No problem, see you soon. Parking is behind the building.",
        "What's the total for the crown after insurance?",
        "Your estimate is $412 after insurance; the invoice is in your patient portal.",
        "Thanks, all good",
    ]

    /// Every event of the year, in time order. A conversation opens every
    /// `year / conversations` seconds and exchanges a message every 20 minutes.
    func timeline() -> [Event] {
        var events: [Event] = []
        events.reserveCapacity(conversations * (messagesPerConversation * 2 + 3))
        let spacing = max(1, 365 * 86_400 / conversations)
        for index in 0..<conversations {
            let opened = Int32(index * spacing)
            let conversation = Int32(index)
            events.append(Event(time: opened, conversation: conversation, step: 0, kind: .consent))
            for step in 0..<messagesPerConversation {
                let time = opened + 60 + Int32(step * 1_200 + index % 97)
                if step % 2 == 0 {
                    events.append(Event(time: time, conversation: conversation, step: Int16(step), kind: .send))
                    events.append(Event(time: time + 1, conversation: conversation, step: Int16(step), kind: .sent))
                    events.append(Event(time: time + 4, conversation: conversation, step: Int16(step), kind: .delivered))
                } else {
                    events.append(Event(time: time, conversation: conversation, step: Int16(step), kind: .inbound))
                }
                if step == 1 { events.append(Event(time: time + 45, conversation: conversation, step: Int16(step), kind: .assign)) }
            }
            let last = opened + 60 + Int32((messagesPerConversation - 1) * 1_200 + index % 97)
            events.append(Event(time: last + 600, conversation: conversation, step: Int16(messagesPerConversation), kind: .close))
        }
        events.sort()
        return events
    }

    /// Streams the history to `git fast-import` on `gitDirectory`, on top of
    /// the records branch's current tip. Returns the number of commits.
    func write(into gitDirectory: String, parent: String?) throws -> Int {
        let events = timeline()
        log("  \(events.count) events; streaming them to git fast-import")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "--git-dir", gitDirectory, "fast-import", "--quiet", "--done"]
        let pipe = Pipe()
        process.standardInput = pipe
        try process.run()
        var stream = FastImportStream(handle: pipe.fileHandleForWriting)
        var commits = 0
        var index = 0
        var first = parent
        let began = Date()
        while index < events.count {
            var group = [events[index]]
            index += 1
            if group[0].isWebhook {
                while index < events.count, events[index].isWebhook, events[index].time - group[0].time < 2, group.count < 64 {
                    group.append(events[index])
                    index += 1
                }
            }
            try commit(group, into: &stream, parent: first)
            first = nil
            commits += 1
            if commits % 100_000 == 0 { log("  \(commits) commits (\(Int(Date().timeIntervalSince(began)))s)") }
        }
        try stream.write("done\n")
        try stream.flush()
        try pipe.fileHandleForWriting.close()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
        return commits
    }

    private func commit(_ group: [Event], into stream: inout FastImportStream, parent: String?) throws {
        var files: [(String, Data)] = []
        var subjects: [String] = []
        var trailers: [(Trailer, String)] = []
        var actions: [CommitAction] = []
        for event in group {
            let (eventFiles, subject, action, eventTrailers) = records(for: event)
            files += eventFiles
            subjects.append(subject)
            actions.append(action)
            trailers += eventTrailers
        }
        let message = group.count == 1
            ? CommitMessage(subject: subjects[0], action: actions[0], trailers: trailers)
            : CommitMessage(subject: "Record \(group.count) webhook updates", body: subjects.map { "- " + $0 }.joined(separator: "\n"),
                            action: .ingest, trailers: trailers)
        let seconds = Int(Self.start.timeIntervalSince1970) + Int(group[0].time)
        let who = group[0].isWebhook || group[0].kind == .send ? "Parley Server <server@bright-smile.example>" : "Dana Reyes "
            + "<dana@bright-smile.example>"
        try stream.write("commit refs/heads/\(MailboxLayout.recordsBranch)\nauthor \(who) \(seconds) +0000\ncommitter \(who) \(seconds) +0000\n")
        try stream.data(Data(message.text.utf8))
        if let parent { try stream.write("from \(parent)\n") }
        for (path, data) in files {
            try stream.write("M 100644 inline \(path)\n")
            try stream.data(data)
        }
        try stream.write("\n")
    }

    /// The files one event writes, its commit subject and trailers.
    private func records(for event: Event) -> ([(String, Data)], String, CommitAction, [(Trailer, String)]) {
        let index = Int(event.conversation)
        let customer = number(index)
        let name = "Customer \(index)"
        let time = Self.start.addingTimeInterval(TimeInterval(event.time))
        let messageTime = Self.start.addingTimeInterval(TimeInterval(event.time - (event.kind == .sent ? 1 : event.kind == .delivered ? 4 : 0)))
        let id = Self.id(messageTime, conversation: index, step: Int(event.step), kind: event.kind == .consent ? 1 : 0)
        let label = "\(name) (\(customer.e164))"
        switch event.kind {
        case .consent:
            let consent = ConsentEvent(id: id, kind: .granted, time: time, number: customer, name: name,
                                       disclosure: "I agree to receive appointment texts from Bright Smile Dental. Msg & data rates may apply. "
                                           + "Reply STOP to opt out.",
                                       purpose: "appointments", method: .webForm, source: "booking form", actor: "dana")
            let contact = Contact(number: customer, name: name, timeZone: "America/Chicago", state: "IL")
            return ([(MailboxLayout.contactPath(customer), contact.fileData()),
                (MailboxLayout.consentPath(customer, time: time, id: id), consent.fileData())],
                    "Record consent from \(label)", .consent(.granted), [(Trailer.number, customer.e164), (Trailer.eventID, id)])
        case .send, .inbound:
            let inbound = event.kind == .inbound
            let body = Self.bodies[(Int(event.step) + index) % Self.bodies.count].replacingOccurrences(of: "{name}", with: name)
            let message = Message(id: id, direction: inbound ? .inbound : .outbound, time: time, from: inbound ? customer : business,
                                  to: inbound ? business : customer, agent: inbound ? nil : "dana", gateway: "twilio",
                                  gatewayID: "SM" + id.lowercased(), status: inbound ? .received : .queued, segments: body.count > 160 ? 2 : 1,
                                  encoding: "GSM-7", body: body)
            var files = [(MailboxLayout.messagePath(customer, time: time, id: id), message.fileData())]
            if inbound {
                return (files, "Receive message from \(label)", .receive,
                    [(Trailer.number, customer.e164), (Trailer.messageID, id)])
            }
            files.append(receipt(customer, id: id, status: .queued, time: time))
            return (files, "Send message to \(label)", .send, [
                (Trailer.number, customer.e164), (Trailer.messageID, id), (Trailer.gateway, "twilio"),
                (Trailer.receipt, "SM" + id.lowercased()), (Trailer.status, "queued"), (Trailer.rules, "rules-96e5c7b6fa8a"),
                (Trailer.consent, "record " + consentPath(index)),
                (Trailer.quietHours, "America/Chicago; state IL; rule federal; from contact record"), (Trailer.firstContact,
                    event.step == 0 ? "yes" : "no"),
                (Trailer.segments, "1 GSM-7, limit 3"),
            ])
        case .sent, .delivered:
            let status: DeliveryStatus = event.kind == .sent ? .sent : .delivered
            return ([receipt(customer, id: id, status: status, time: time)], "Record \(status.rawValue) for \(label)", .report,
                    [(Trailer.number, customer.e164), (Trailer.messageID, id)])
        case .assign, .close:
            let kind: ConversationEvent.Kind = event.kind == .assign ? .assign : .close
            let conversationEvent = ConversationEvent(id: id, kind: kind, time: time, by: "dana", assignee: kind == .assign ? "dana" : nil)
            return ([(MailboxLayout.eventPath(customer, time: time, id: id), conversationEvent.fileData())],
                    kind == .assign ? "Assign \(label) to dana" : "Close \(label)", .triage(kind),
                    [(Trailer.number, customer.e164), (Trailer.eventID, id)])
        }
    }

    /// Ids are derived, not random, so a run is repeatable.
    static func id(_ time: Date, conversation: Int, step: Int, kind: UInt8) -> String {
        let bytes = withUnsafeBytes(of: (UInt64(conversation) << 24 | UInt64(step) << 8 | UInt64(kind)).bigEndian, Array.init)
        return ULID(time: time, randomBytes: [0, 0] + bytes).string
    }

    private func consentPath(_ index: Int) -> String {
        let time = Self.start.addingTimeInterval(TimeInterval(index * max(1, 365 * 86_400 / conversations)))
        return MailboxLayout.consentPath(number(index), time: time, id: Self.id(time, conversation: index, step: 0, kind: 1))
    }

    private func receipt(_ customer: PhoneNumber, id: String, status: DeliveryStatus, time: Date) -> (String, Data) {
        let sid = "SM" + id.lowercased()
        let raw = "{\"MessageSid\":\"\(sid)\",\"MessageStatus\":\"\(status.rawValue)\","
            + "\"To\":\"\(customer.e164)\",\"From\":\"\(business.e164)\",\"ApiVersion\":\"2010-04-01\"}"
        let record = DeliveryRecord(messageID: id, status: status, time: time, gateway: "twilio", gatewayID: sid,
                                    price: status == .queued ? "-0.0079" : nil, priceUnit: status == .queued ? "USD" : nil, raw: raw)
        return (MailboxLayout.receiptPath(customer, messageID: id, status: status), record.fileData())
    }
}

/// A buffered writer of the fast-import command stream.
struct FastImportStream {
    let handle: FileHandle
    private var buffer = Data()

    init(handle: FileHandle) {
        self.handle = handle
        buffer.reserveCapacity(1 << 20)
    }

    mutating func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// A `data` command: the exact byte count, then the bytes.
    mutating func data(_ bytes: Data) throws {
        try write("data \(bytes.count)\n")
        buffer.append(bytes)
        buffer.append(0x0A)
    }

    mutating func flush() throws {
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
