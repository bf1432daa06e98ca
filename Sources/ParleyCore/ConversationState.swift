import Foundation

/// Who owns a conversation, its tags and whether it is open: derived by
/// folding its events (and inbound messages, which reopen it) in time
/// order—never stored, so it cannot be lost in a merge.
public struct ConversationState: Equatable, Sendable, Codable {
    public var assignee: String?
    public var tags: [String]
    public var isOpen: Bool
    /// When and by whom it was last closed, while closed.
    public var closedAt: Date?
    public var closedBy: String?
    /// What the conversation is about: the latest use case set, by hand or
    /// by the template that opened it.
    public var useCase: String?
    /// The outcome of the latest close, while closed.
    public var outcome: String?
    /// Agents mentioned in notes since the conversation was last closed.
    public var mentions: [String] = []
    /// Set while snoozed: hidden from the inbox and waiting on the customer
    /// until its end, or until the customer writes.
    public var snooze: Snooze?
    /// Set while a carrier said the number can never receive a text: no
    /// send goes to it until a person clears it (`parley contact reachable`).
    public var unreachable: Unreachable?

    /// Why and since when the number takes no texts.
    public struct Unreachable: Equatable, Sendable, Codable {
        public let since: Date
        public let reason: String

        public init(since: Date, reason: String) {
            self.since = since
            self.reason = reason
        }
    }

    /// A snooze: since when, and until when (nil: until the customer writes).
    public struct Snooze: Equatable, Sendable, Codable {
        public let since: Date
        public let until: Date?
    }

    /// Whether the conversation is still snoozed at `now`.
    public func isSnoozed(at now: Date) -> Bool {
        guard let snooze else { return false }
        return snooze.until.map { $0 > now } ?? true
    }

    public static let initial = ConversationState(assignee: nil, tags: [], isOpen: true, closedAt: nil, closedBy: nil)

    /// Folds events and the times of inbound messages. Ties at the same
    /// instant are broken by event id so every clone derives the same state.
    public static func fold(events: [ConversationEvent], inboundTimes: [Date]) -> ConversationState {
        enum Step { case event(ConversationEvent), inbound }
        let steps: [(Date, String, Step)] =
            events.map { ($0.time, $0.id, Step.event($0)) } + inboundTimes.map { ($0, "", Step.inbound) }
        var state = ConversationState.initial
        var tags = Set<String>()
        for (time, _, step) in steps.sorted(by: { ($0.0, $0.1) < ($1.0, $1.1) }) {
            switch step {
            case .inbound:
                state.reopen()
                state.snooze = nil
            case .event(let event):
                switch event.kind {
                case .assign: state.assignee = event.assignee
                case .unassign: state.assignee = nil
                case .tag: tags.formUnion(event.tags)
                case .untag: tags.subtract(event.tags)
                case .close:
                    state.isOpen = false
                    state.snooze = nil
                    state.mentions = []
                    state.closedAt = time
                    state.closedBy = event.by
                    state.outcome = event.outcome
                    if let useCase = event.useCase { state.useCase = useCase }
                case .reopen: state.reopen()
                case .useCase: state.useCase = event.useCase
                case .note: state.mentions = Array(Set(state.mentions).union(event.mentions)).sorted()
                case .snooze: state.snooze = Snooze(since: time, until: event.until)
                case .wake: state.snooze = nil
                case .unreachable: state.unreachable = Unreachable(since: time, reason: event.note ?? "a carrier said it cannot be reached")
                case .reachable: state.unreachable = nil
                }
            }
        }
        state.tags = tags.sorted()
        return state
    }

    private mutating func reopen() {
        isOpen = true
        closedAt = nil
        closedBy = nil
        outcome = nil
    }
}
