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

/// What an inbox listing is known to hold before its first row: a long
/// listing streams, and each group's heading carries its count.
public struct InboxOutline: Sendable, Equatable {
    /// How many conversations match in all.
    public let total: Int
    /// Of them, customers waiting for us (snoozed ones wait on the customer):
    /// listed first.
    public let customerWaiting: Int
    /// How many are listed at most (all when nil).
    public let limit: Int?
    /// The moment snoozes and waits are judged at.
    public let now: Date

    public init(total: Int, customerWaiting: Int, limit: Int?, now: Date) {
        self.total = total
        self.customerWaiting = customerWaiting
        self.limit = limit
        self.now = now
    }

    /// Customers waiting for us that are listed.
    public var customersListed: Int { min(limit ?? .max, customerWaiting) }
    /// Conversations waiting on the customer that are listed, after the customers.
    public var othersListed: Int { min((limit ?? .max) - customersListed, total - customerWaiting) }
    public var listed: Int { customersListed + othersListed }
}

public struct Inbox: Sendable {
    public let outline: InboxOutline
    public let entries: [InboxEntry]
    public let problems: [ParleyError]

    /// How many conversations match in all; more than `entries` when limited.
    public var total: Int { outline.total }
    public var now: Date { outline.now }
}

/// Reading conversations: the inbox, one conversation, its history.
public struct Conversations: MailboxFeature {
    public let mailbox: Mailbox

    public init(_ mailbox: Mailbox) { self.mailbox = mailbox }

    /// Open conversations with messages, customers waiting longest first,
    /// then the ones waiting on the customer, most recent first; the first
    /// `limit` of them (all when nil), read from the derived index.
    public func inbox(_ filter: InboxFilter = InboxFilter(), limit: Int? = nil, progress: IndexProgress? = nil) throws(ParleyError) -> Inbox {
        var outline: InboxOutline?
        var entries: [InboxEntry] = []
        let problems = try inbox(filter, limit: limit, progress: progress, begin: { outline = $0 }, each: { entries.append($0) })
        return Inbox(outline: outline!, entries: entries, problems: problems)
    }

    /// The inbox as it is read: `begin` gets the outline, then `each` every
    /// entry in order, so a listing of every conversation is never held
    /// whole. Returns the conversations that could not be read.
    @discardableResult
    public func inbox(_ filter: InboxFilter, limit: Int?, progress: IndexProgress?, begin: (InboxOutline) -> Void,
                      each: (InboxEntry) throws(ParleyError) -> Void) throws(ParleyError) -> [ParleyError] {
        let now = clock.now()
        var query = filter
        query.now = now
        let clock = BusinessClock(for: config)
        func entry(_ summary: ConversationSummary) -> InboxEntry? {
            guard var (waiting, since) = summary.waiting else { return nil }
            // A snoozed conversation waits on the customer.
            if summary.state.isSnoozed(at: now), let snooze = summary.state.snooze { (waiting, since) = (.us, snooze.since) }
            return InboxEntry(summary: summary, waiting: waiting, since: since, seconds: max(0, Int(now.timeIntervalSince(since))),
                              overdue: Overdue.check(summary, now: now, settings: config.monitoring, clock: clock))
        }
        let index = try store.index()
        guard filter.onlyOverdue else {
            return try index.inbox(at: store.snapshot(), filter: query, agent: agent.handle, limit: limit, progress: progress,
                                   begin: { total, customerWaiting in
                                       begin(InboxOutline(total: total, customerWaiting: customerWaiting, limit: limit, now: now))
                                   },
                                   each: { summary throws(ParleyError) in if let entry = entry(summary) { try each(entry) } })
        }
        // Overdue is business time, worked out here: every customer waiting is read, then the limit applies.
        query.onlyCustomerWaiting = true
        var overdue: [InboxEntry] = []
        let problems = try index.inbox(at: store.snapshot(), filter: query, agent: agent.handle, limit: nil, progress: progress,
                                       begin: { _, _ in }, each: { summary in
                                           if let entry = entry(summary), entry.overdue != nil { overdue.append(entry) }
                                       })
        begin(InboxOutline(total: overdue.count, customerWaiting: overdue.count, limit: limit, now: now))
        for entry in overdue.prefix(limit ?? .max) { try each(entry) }
        return problems
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
