import Foundation

/// A change to a conversation's triage state, stored as its own YAML file.
/// The current state is the fold of all events in time order, so two
/// people changing it at once in different clones both keep their change.
public struct ConversationEvent: Equatable, Sendable, Codable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case assign, unassign, tag, untag, close, reopen
        /// Says what the conversation is about (`parley.yaml`'s use cases).
        case useCase = "use_case"
        /// An internal note: never sent; `@handle` in it mentions an agent.
        case note
        /// Hides the conversation from the inbox until `until`, or until the customer writes when `until` is nil.
        case snooze
        /// Ends a snooze early.
        case wake
        /// A carrier's permanent error (unknown number, landline, unreachable): no more texts to the number, `note` says why.
        case unreachable
        /// A person cleared an `unreachable` mark, with the reason in `note`.
        case reachable
    }

    public var id: String
    public var kind: Kind
    public var time: Date
    /// Handle of the agent who made the change.
    public var by: String
    /// The assignee, for `assign`.
    public var assignee: String?
    /// The tags added or removed, for `tag` and `untag`.
    public var tags: [String]
    /// The use case, for `use_case` (and a `close` that sets it).
    public var useCase: String?
    /// What the conversation came to, for `close`: one of its use case's outcomes.
    public var outcome: String?
    /// The text of a `note` event; the reason given with any other.
    public var note: String?
    /// The agents a note mentions (`@handle`), for `parley inbox --mine`.
    public var mentions: [String]
    /// When a `snooze` ends; nil: when the customer next writes.
    public var until: Date?

    public init(id: String, kind: Kind, time: Date, by: String, assignee: String? = nil, tags: [String] = [], note: String? = nil,
                useCase: String? = nil, outcome: String? = nil, mentions: [String] = [], until: Date? = nil) {
        self.id = id
        self.kind = kind
        self.time = time
        self.by = by
        self.assignee = assignee
        self.tags = tags
        self.note = note
        self.useCase = useCase
        self.outcome = outcome
        self.mentions = mentions
        self.until = until
    }

    public func fileData() -> Data { recordFileData() }

    public static func parse(_ data: Data, path: String) throws(ParleyError) -> ConversationEvent {
        try readRecordFile(data, path: path)
    }
}

extension ConversationEvent: RecordFile {
    static let renamedKeys = ["kind": "event"]

    func validate(in fields: YAMLFields) throws(ParleyError) {
        if kind == .useCase, useCase == nil { throw fields.problem("event", "a use_case event needs 'use_case'") }
        if kind == .assign, assignee == nil { throw fields.problem("event", "an assign event needs 'assignee'") }
        if (kind == .tag || kind == .untag), tags.isEmpty { throw fields.problem("event", "a \(kind.rawValue) event needs 'tags'") }
        if kind == .note, (note ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw fields.problem("event", "a note event needs 'note' with its text")
        }
    }
}

extension ConversationEvent.Kind: RecordChoice {}
