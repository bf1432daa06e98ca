/// What a Parley commit did: every value of its `Parley-Action` trailer
/// (docs/FORMAT.md, "Commit trailers"), spelled once. Events carry their
/// kind (`consent-granted`, `assign`, `outbox-scheduled`), so a new kind of
/// event is a new action without a new string.
public enum CommitAction: Hashable, Sendable, CustomStringConvertible {
    case initialize
    case send
    /// An in-doubt send settled by asking the gateway.
    case reconcile
    case receive
    /// Delivery reports stored by ingest.
    case report
    /// The outcome of an automatic keyword reply.
    case autoReply
    /// One group commit holding several kinds of item.
    case ingest
    /// Messages other systems sent (`parley import`).
    case recordAutomated
    case consent(ConsentEvent.Kind)
    case consentImport
    case outcomeImport
    case appointmentImport
    /// An automation's holdout or the answer it read (its texts are `send`).
    case automation(AutomationRecord.Kind)
    case contactAdd
    case contactEdit
    case draft
    /// Assignment, tags, open/closed, use case.
    case triage(ConversationEvent.Kind)
    case outbox(OutboxEntry.State)
    case outboxCancel
    case outboxDrop
    /// A text held for approval, returned to its author as a draft.
    case reject
    /// A sender line paused or resumed.
    case line(LineEvent.Kind)
    case erase
    /// The checked-out part of a change, committed after its records.
    case followUp
    case migrate
    case sync

    /// The trailer's value.
    public var rawValue: String {
        switch self {
        case .initialize: "init"
        case .send: "send"
        case .reconcile: "reconcile"
        case .receive: "receive"
        case .report: "report"
        case .autoReply: "auto-reply"
        case .ingest: "ingest"
        case .recordAutomated: "record-automated"
        case .consent(let kind): "consent-\(kind.rawValue)"
        case .consentImport: "consent-import"
        case .outcomeImport: "outcome-import"
        case .appointmentImport: "appointment-import"
        case .automation(let kind): "automation-\(kind.rawValue.replacingOccurrences(of: "_", with: "-"))"
        case .contactAdd: "contact-add"
        case .contactEdit: "contact-edit"
        case .draft: "draft"
        case .triage(let kind): kind.rawValue
        case .outbox(let state): "outbox-\(state.rawValue)"
        case .outboxCancel: "outbox-cancel"
        case .outboxDrop: "outbox-drop"
        case .reject: "reject"
        case .line(let kind): "line-\(kind.rawValue)"
        case .erase: "erase"
        case .followUp: "follow-up"
        case .migrate: "migrate"
        case .sync: "sync"
        }
    }

    public var description: String { rawValue }

    /// Every action there is, for reading a trailer back.
    public static let allCases: [CommitAction] = [
        .initialize, .send, .reconcile, .receive, .report, .autoReply, .ingest, .recordAutomated, .consentImport, .outcomeImport, .appointmentImport,
        .contactAdd, .contactEdit, .draft, .outboxCancel, .outboxDrop, .reject, .erase, .followUp, .migrate, .sync,
    ] + ConsentEvent.Kind.allCases.map(CommitAction.consent) + ConversationEvent.Kind.allCases.map(CommitAction.triage)
        + OutboxEntry.State.allCases.map(CommitAction.outbox) + LineEvent.Kind.allCases.map(CommitAction.line)
        + AutomationRecord.Kind.allCases.map(CommitAction.automation)

    private static let byRawValue = Dictionary(uniqueKeysWithValues: allCases.map { ($0.rawValue, $0) })

    /// The action a trailer names; nil for a value no Parley writes.
    public init?(rawValue: String) {
        guard let action = Self.byRawValue[rawValue] else { return nil }
        self = action
    }

    /// Whether the commit's `Parley-Message-Id` trailers name messages it stored.
    public var storesMessages: Bool {
        switch self {
        case .send, .reconcile, .receive, .autoReply, .ingest: true
        default: false
        }
    }
}
