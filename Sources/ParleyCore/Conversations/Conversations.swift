import Foundation

/// One line of the inbox.
public struct InboxEntry: Sendable, Codable, Equatable {
    public enum Waiting: String, Sendable, Codable {
        /// The customer wrote last and waits for an answer.
        case customer
        /// We wrote last and wait for the customer.
        case us
    }

    public let summary: ConversationSummary
    public let waiting: Waiting
    /// Since when the waiting party has been waiting.
    public let since: Date
    public let seconds: Int
    /// Set when the customer has waited past the conversation's target.
    public let overdue: Overdue?
}

/// Which conversations the inbox shows.
public struct InboxFilter: Sendable {
    public var onlyMine = false
    public var onlyUnassigned = false
    public var onlyCustomerWaiting = false
    public var includeClosed = false
    public var tag: String?
    /// Only customers waiting past their target.
    public var onlyOverdue = false
    /// Snoozed conversations too (hidden by default until their snooze ends).
    public var includeSnoozed = false
    /// The moment snoozes are judged at; the inbox sets it from the clock.
    public var now: Date?

    public init(onlyMine: Bool = false, onlyUnassigned: Bool = false, onlyCustomerWaiting: Bool = false, includeClosed: Bool = false,
        tag: String? = nil, onlyOverdue: Bool = false, includeSnoozed: Bool = false) {
        self.onlyMine = onlyMine
        self.onlyUnassigned = onlyUnassigned
        self.onlyCustomerWaiting = onlyCustomerWaiting
        self.includeClosed = includeClosed
        self.tag = tag
        self.onlyOverdue = onlyOverdue
        self.includeSnoozed = includeSnoozed
    }
}

extension ConversationSummary {
    /// Who waits, and since when: the one definition the inbox and its
    /// index share. Nil for a conversation without messages.
    public var waiting: (party: InboxEntry.Waiting, since: Date)? {
        guard let last = lastMessage else { return nil }
        if let waitingSince { return (.customer, waitingSince) }
        return last.direction == .inbound ? (.customer, last.time) : (.us, last.time)
    }
}

public struct Inbox: Sendable {
    public let entries: [InboxEntry]
    /// How many conversations match in all; more than `entries` when limited.
    public let total: Int
    public let problems: [ParleyError]
    public let now: Date
}

/// Reading conversations: the inbox, one conversation, its history.
public struct Conversations: MailboxFeature {
    public let mailbox: Mailbox

    public init(_ mailbox: Mailbox) { self.mailbox = mailbox }

    /// Open conversations with messages, customers waiting longest first,
    /// then the ones waiting on the customer, most recent first; the first
    /// `limit` of them (all when nil), read from the derived index.
    public func inbox(_ filter: InboxFilter = InboxFilter(), limit: Int? = nil, progress: IndexProgress? = nil) throws(ParleyError) -> Inbox {
        let now = clock.now()
        var query = filter
        query.now = now
        // Overdue is business time, worked out here: every customer waiting is read, then the limit applies.
        if filter.onlyOverdue { query.onlyCustomerWaiting = true }
        let page = try store.index().inboxPage(at: store.snapshot(), filter: query, agent: agent.handle,
                                               limit: filter.onlyOverdue ? nil : limit, progress: progress)
        let clock = BusinessClock(for: config)
        var entries = page.summaries.compactMap { summary -> InboxEntry? in
            guard var (waiting, since) = summary.waiting else { return nil }
            // A snoozed conversation waits on the customer.
            if summary.state.isSnoozed(at: now), let snooze = summary.state.snooze { (waiting, since) = (.us, snooze.since) }
            return InboxEntry(summary: summary, waiting: waiting, since: since, seconds: max(0, Int(now.timeIntervalSince(since))),
                              overdue: Overdue.check(summary, now: now, settings: config.monitoring, clock: clock))
        }
        var total = page.total
        if filter.onlyOverdue {
            entries = entries.filter { $0.overdue != nil }
            total = entries.count
            if let limit { entries = Array(entries.prefix(limit)) }
        }
        return Inbox(entries: entries, total: total, problems: page.problems, now: now)
    }



    /// A conversation as stored; `notFound` when nothing is stored for the number.
    public func conversation(_ number: PhoneNumber) throws(ParleyError) -> Conversation {
        guard let conversation = try Conversation.load(number, from: store.snapshot()) else {
            throw .notFound("no conversation with \(number.e164) yet; start one with 'parley send \(number.e164) --body …'")
        }
        return conversation
    }

    /// A conversation as stored, nil when nothing is stored for the number.
    public func conversation(orNil number: PhoneNumber) throws(ParleyError) -> Conversation? {
        try Conversation.load(number, from: store.snapshot())
    }

    /// Commits of the whole mailbox or of one conversation (from the
    /// derived index), newest first.
    public func log(_ number: PhoneNumber?, limit: Int?, progress: IndexProgress? = nil) throws(ParleyError) -> [HistoryEntry] {
        guard let number else { return try store.history(touching: [], limit: limit) }
        return try store.historyEntries(store.index().commits(of: number, limit: limit, at: store.snapshot(), store: store, progress: progress))
    }
}
