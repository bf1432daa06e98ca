import Foundation

/// One room of a mailbox's work—sending, the outbox, inbound messages,
/// consent, contacts, conversations, templates, triage—each its own type
/// in its own file, reached from the mailbox (`mailbox.sending.send(…)`).
/// They share this small context: the mailbox's store, settings, clock
/// and agent, and the few helpers every write uses.
public protocol MailboxFeature: Sendable {
    var mailbox: Mailbox { get }
}

extension MailboxFeature {
    var store: any MailboxStore { mailbox.store }
    var config: MailboxConfig { mailbox.config }
    var clock: ParleyClock { mailbox.clock }
    var agent: Agent { mailbox.agent }

    /// A commit authored by the mailbox's agent at the clock's time.
    func change(_ files: [String: Data?], _ message: CommitMessage) -> StoreChange { mailbox.change(files, message) }

    /// A new message id that sorts after every message already stored with `number`.
    func nextMessageID(with number: PhoneNumber, in snapshot: any StoreSnapshot, at time: Date) throws(ParleyError) -> String {
        try mailbox.nextMessageID(with: number, in: snapshot, at: time)
    }

    /// The contact's display name for messages and commit subjects.
    func label(_ number: PhoneNumber, in snapshot: any StoreSnapshot) -> String { mailbox.label(number, in: snapshot) }
}
