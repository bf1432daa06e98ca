import Foundation

extension Mailbox {
    /// Adds a contact; refuses when one is stored for the number.
    @discardableResult
    public func addContact(_ contact: Contact) throws(ParleyError) -> CommitRecord? {
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

    /// The stored contact, nil when there is none.
    public func contact(_ number: PhoneNumber) throws(ParleyError) -> Contact? {
        let path = MailboxLayout.contactPath(number)
        return try store.snapshot().read(path).map { data throws(ParleyError) in try Contact.parse(data, path: path) }
    }

    /// The contact file's bytes as committed, for editing in `$EDITOR`.
    public func contactFile(_ number: PhoneNumber) throws(ParleyError) -> Data? {
        try store.snapshot().read(MailboxLayout.contactPath(number))
    }

    /// Replaces the contact file with `data` as a person wrote it, after
    /// checking it parses and names the same number. Their bytes are kept
    /// as they are (comments, order); nil when nothing changed.
    @discardableResult
    public func replaceContactFile(_ number: PhoneNumber, with data: Data) throws(ParleyError) -> CommitRecord? {
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
}
