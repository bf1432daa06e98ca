import Foundation

/// The derived read index as the mailbox's own operations ask it: the
/// inbox, the contact list, the review queue and one conversation's
/// commits, each answered after the index caught up with the snapshot, so
/// it is never stale.
///
/// Core states the questions; the `ParleyIndex` module answers them from a
/// SQLite database beside the repository (docs/architecture.md). Git stays
/// the only truth: an index can always be deleted and rebuilt from it.
public protocol DerivedIndex: AnyObject, Sendable {
    /// Where the file lives, nil for an in-memory index.
    var path: String? { get }

    /// Every conversation, or only those held for consent review, in number order.
    func conversations(at snapshot: any StoreSnapshot, onlyUnderReview: Bool, progress: IndexProgress?) throws(ParleyError) -> ConversationScan

    /// The first `limit` conversations in inbox order (all when nil):
    /// customers waiting for us first (not snoozed), then the rest, each by
    /// rank. `begin` gets how many match in all and how many of them are
    /// customers waiting, then `each` every summary as it is read. Returns
    /// the unreadable conversations.
    func inbox(at snapshot: any StoreSnapshot, filter: InboxFilter, agent: String, limit: Int?, progress: IndexProgress?,
               begin: (_ total: Int, _ customerWaiting: Int) -> Void,
               each: (ConversationSummary) throws(ParleyError) -> Void) throws(ParleyError) -> [ParleyError]

    /// The ids of the commits that changed `number`'s conversation, newest first.
    func commits(of number: PhoneNumber, limit: Int?, at snapshot: any StoreSnapshot, store: any MailboxStore,
                 progress: IndexProgress?) throws(ParleyError) -> [String]

    /// A line's latest sends by people and automations, newest first, sent after `since` (all when nil).
    func lineSends(_ line: PhoneNumber, since: Date?, limit: Int, at snapshot: any StoreSnapshot) throws(ParleyError) -> [Deliverability.LineSend]

    /// Appointments from `start` up to `end`, in time order: what the appointment automations text ahead of.
    func appointments(from start: Date, to end: Date, at snapshot: any StoreSnapshot) throws(ParleyError) -> [AppointmentRecord]

    /// Conversations closed from `start` up to `end`, in time order: what the closed automations follow.
    func closes(from start: Date, to end: Date, at snapshot: any StoreSnapshot) throws(ParleyError) -> [ClosedConversation]

    /// Brings an index that was built before up to `snapshot` (a writer, after its commit).
    func catchUp(to snapshot: any StoreSnapshot) throws(ParleyError)

    /// Forgets everything, so the next read rebuilds from Git (a cold start).
    func clear() throws(ParleyError)
}

/// Summaries, and the problems of conversations that could not be read.
public struct ConversationScan: Sendable {
    public let summaries: [ConversationSummary]
    public let problems: [ParleyError]

    public init(summaries: [ConversationSummary], problems: [ParleyError]) {
        self.summaries = summaries
        self.problems = problems
    }
}

/// Reports how far a long rebuild is: conversations done of all.
public typealias IndexProgress = @Sendable (Int, Int) -> Void

/// A close, with the conversation it closed.
public struct ClosedConversation: Sendable {
    public let number: PhoneNumber
    public let close: ConversationEvent

    public init(number: PhoneNumber, close: ConversationEvent) {
        self.number = number
        self.close = close
    }
}
