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
}

/// Which conversations the inbox shows.
public struct InboxFilter: Sendable {
    public var onlyMine = false
    public var onlyUnassigned = false
    public var onlyCustomerWaiting = false
    public var includeClosed = false
    public var tag: String?

    public init(onlyMine: Bool = false, onlyUnassigned: Bool = false, onlyCustomerWaiting: Bool = false, includeClosed: Bool = false, tag: String? = nil) {
        self.onlyMine = onlyMine
        self.onlyUnassigned = onlyUnassigned
        self.onlyCustomerWaiting = onlyCustomerWaiting
        self.includeClosed = includeClosed
        self.tag = tag
    }
}

public struct Inbox: Sendable {
    public let entries: [InboxEntry]
    public let problems: [ParleyError]
    public let now: Date
}

extension Mailbox {
    /// Open conversations with messages, customers waiting longest first,
    /// then the ones waiting on the customer, most recent first.
    public func inbox(_ filter: InboxFilter = InboxFilter()) throws(ParleyError) -> Inbox {
        let now = clock.now()
        let scan = try ConversationIndex.scan(store.snapshot(), store: store)
        var entries: [InboxEntry] = []
        for summary in scan.summaries {
            guard let last = summary.lastMessage else { continue }
            if !filter.includeClosed && !summary.state.isOpen { continue }
            // Nothing may be sent to a number that opted out: there is nothing to answer.
            if !filter.includeClosed && summary.consent.status == .optedOut { continue }
            if filter.onlyMine && summary.state.assignee != agent.handle { continue }
            if filter.onlyUnassigned && summary.state.assignee != nil { continue }
            if let tag = filter.tag, !summary.state.tags.contains(tag.lowercased()) { continue }
            let waiting: InboxEntry.Waiting = last.direction == .inbound ? .customer : .us
            if filter.onlyCustomerWaiting && waiting != .customer { continue }
            let since = waiting == .customer ? (summary.waitingSince ?? last.time) : last.time
            entries.append(InboxEntry(summary: summary, waiting: waiting, since: since, seconds: max(0, Int(now.timeIntervalSince(since)))))
        }
        entries.sort { lhs, rhs in
            if lhs.waiting != rhs.waiting { return lhs.waiting == .customer }
            if lhs.since != rhs.since { return lhs.waiting == .customer ? lhs.since < rhs.since : lhs.since > rhs.since }
            return lhs.summary.number < rhs.summary.number
        }
        return Inbox(entries: entries, problems: scan.problems, now: now)
    }

    /// Every contact or conversation, sorted by name then number.
    public func contacts() throws(ParleyError) -> ConversationIndex.Scan {
        let scan = try ConversationIndex.scan(store.snapshot(), store: store)
        let sorted = scan.summaries.sorted { ($0.name?.lowercased() ?? "~", $0.number) < ($1.name?.lowercased() ?? "~", $1.number) }
        return ConversationIndex.Scan(summaries: sorted, problems: scan.problems)
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

    /// Commits that touched the whole mailbox or one conversation, newest first.
    public func log(_ number: PhoneNumber?, limit: Int?) throws(ParleyError) -> [HistoryEntry] {
        try store.history(touching: number.map { [MailboxLayout.conversationDirectory($0)] } ?? [], limit: limit)
    }
}
