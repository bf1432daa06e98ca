import Foundation

/// Contact facts (name, time zone, state, notes), one hand-editable file per customer.
public struct ContactBook: MailboxFeature {
    public let mailbox: Mailbox

    public init(_ mailbox: Mailbox) { self.mailbox = mailbox }

    /// Adds a contact; refuses when one is stored for the number.
    @discardableResult
    public func add(_ contact: Contact) throws(ParleyError) -> CommitRecord? {
        let path = MailboxLayout.contactPath(contact.number)
        return try store.commit { snapshot throws(ParleyError) in
            if try snapshot.read(path) != nil {
                throw .alreadyExists("\(contact.number.e164) is already a contact; change it with 'parley contact edit \(contact.number.e164)'")
            }
            return change([path: contact.fileData()], CommitMessage(
                subject: "Add contact \(contact.displayName) (\(contact.number.e164))",
                action: .contactAdd, trailers: [(.number, contact.number.e164)]))
        }
    }

    /// Keeps what a lookup said about the number's line as a contact fact,
    /// adding the contact when there is none; nil when nothing changed.
    @discardableResult
    public func recordLineType(_ number: PhoneNumber, _ result: LineTypeResult) throws(ParleyError) -> CommitRecord? {
        let path = MailboxLayout.contactPath(number)
        let now = clock.now()
        return try store.commit { snapshot throws(ParleyError) in
            var contact = try snapshot.read(path).map { data throws(ParleyError) in try Contact.parse(data, path: path) } ?? Contact(number: number)
            // The carrier's name comes from the network: kept to one short line.
            let carrier = result.carrier.map { String($0.filter { !$0.isNewline }.prefix(80)) }
            let source = result.source + (carrier.map { ", carrier \($0)" } ?? "")
            guard contact.lineType != result.lineType || contact.lineTypeSource != source else { return nil }
            contact.lineType = result.lineType
            contact.lineTypeCheckedAt = now
            contact.lineTypeSource = source
            return change([path: contact.fileData()], CommitMessage(
                subject: "Record the line type of \(contact.displayName) (\(number.e164)): \(result.lineType.rawValue)",
                action: .contactEdit, trailers: [(.number, number.e164)]))
        }
    }

    /// The stored contact, nil when there is none.
    public func find(_ number: PhoneNumber) throws(ParleyError) -> Contact? {
        let path = MailboxLayout.contactPath(number)
        return try store.snapshot().read(path).map { data throws(ParleyError) in try Contact.parse(data, path: path) }
    }

    /// The contact file's bytes as committed, for editing in `$EDITOR`.
    public func file(_ number: PhoneNumber) throws(ParleyError) -> Data? {
        try store.snapshot().read(MailboxLayout.contactPath(number))
    }

    /// Replaces the contact file with `data` as a person wrote it, after
    /// checking it parses and names the same number. Their bytes are kept
    /// as they are (comments, order); nil when nothing changed.
    @discardableResult
    public func replaceFile(_ number: PhoneNumber, with data: Data) throws(ParleyError) -> CommitRecord? {
        let path = MailboxLayout.contactPath(number)
        let contact = try Contact.parse(data, path: path)
        guard contact.number == number else {
            throw .malformed(FormatIssue(path: path, line: 2,
                problem: "number \(contact.number.e164) does not match the contact being edited (\(number.e164))"))
        }
        return try store.commit { snapshot throws(ParleyError) in
            guard try snapshot.read(path) != data else { return nil }
            return change([path: data], CommitMessage(
                subject: "Edit contact \(contact.displayName) (\(number.e164))",
                action: .contactEdit, trailers: [(.number, number.e164)]))
        }
    }

    /// Every contact or conversation, sorted by name then number.
    public func all() throws(ParleyError) -> ConversationScan {
        let scan = try store.index().conversations(at: store.snapshot(), onlyUnderReview: false, progress: nil)
        let sorted = scan.summaries.sorted { ($0.name?.lowercased() ?? "~", $0.number) < ($1.name?.lowercased() ?? "~", $1.number) }
        return ConversationScan(summaries: sorted, problems: scan.problems)
    }
}
