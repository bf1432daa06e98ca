import Foundation

/// The outcome of a triage command.
public enum TriageOutcome: Sendable, Equatable {
    case changed(CommitRecord, ConversationState)
    /// The conversation was already in the asked-for state; nothing committed.
    case unchanged(ConversationState)
}

/// Triage: assignment, tags, open and closed, the use case, notes and
/// snoozes—each an event file, one commit each.
public struct Triage: MailboxFeature {
    public let mailbox: Mailbox

    public init(_ mailbox: Mailbox) { self.mailbox = mailbox }

    /// Assigns the conversation; with `note`, a handoff with its reason (recorded even when the assignee stays).
    public func assign(_ number: PhoneNumber, to assignee: String?, note: String? = nil) throws(ParleyError) -> TriageOutcome {
        if let assignee, !Agent.isValidHandle(assignee) {
            throw .invalidInput("'\(assignee)' is not an agent handle: use letters, digits, '.', '_' or '-'")
        }
        let note = try note.map { text throws(ParleyError) in try Self.noteText(text) }
        return try record(number) { state in
            state.assignee == assignee && note == nil
                ? nil : Change(kind: assignee == nil ? .unassign : .assign, assignee: assignee, note: note, mentions: note.map(Mentions.handles) ?? [])
        }
    }

    /// An internal note on the conversation: never sent, shown in the
    /// thread; `@handle` in it mentions an agent (`parley inbox --mine`).
    public func note(_ number: PhoneNumber, _ text: String) throws(ParleyError) -> TriageOutcome {
        let text = try Self.noteText(text)
        return try record(number) { _ in Change(kind: .note, note: text, mentions: Mentions.handles(in: text)) }
    }

    /// Hides the conversation from the inbox until `until` (nil: until the
    /// customer writes); it comes back early when the customer writes.
    public func snooze(_ number: PhoneNumber, until: Date?, note: String? = nil) throws(ParleyError) -> TriageOutcome {
        let now = clock.now()
        if let until, until <= now {
            throw .invalidInput("--until \(Timestamp.format(until)) is not in the future (now: \(Timestamp.format(now)))")
        }
        return try record(number) { state throws(ParleyError) in
            guard state.isOpen else { throw .invalidInput("the conversation is closed; a closed conversation is not in the inbox to snooze") }
            return state.snooze?.until == until && state.isSnoozed(at: now) ? nil : Change(kind: .snooze, note: note, until: until)
        }
    }

    /// Ends a snooze before its time.
    public func wake(_ number: PhoneNumber) throws(ParleyError) -> TriageOutcome {
        let now = clock.now()
        return try record(number) { state in state.isSnoozed(at: now) ? Change(kind: .wake) : nil }
    }

    static func noteText(_ text: String) throws(ParleyError) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .invalidInput("a note needs some text") }
        guard trimmed.utf8.count <= 10_000 else { throw .invalidInput("a note is at most 10,000 bytes; this one has \(trimmed.utf8.count)") }
        return trimmed
    }

    /// Clears a number a carrier's permanent error marked unreachable (it was
    /// ported, the customer confirmed it takes texts): sends may go again.
    public func markReachable(_ number: PhoneNumber, reason: String) throws(ParleyError) -> TriageOutcome {
        try record(number) { state in state.unreachable == nil ? nil : Change(kind: .reachable, note: reason) }
    }

    public func tag(_ number: PhoneNumber, add tags: [String]) throws(ParleyError) -> TriageOutcome {
        let tags = try Self.validatedTags(tags)
        return try record(number) { state in Set(tags).isSubset(of: state.tags) ? nil : Change(kind: .tag, tags: tags) }
    }

    public func untag(_ number: PhoneNumber, remove tags: [String]) throws(ParleyError) -> TriageOutcome {
        let tags = try Self.validatedTags(tags)
        return try record(number) { state in Set(tags).isDisjoint(with: state.tags) ? nil : Change(kind: .untag, tags: tags) }
    }

    /// Closes the conversation, with what it came to: `outcome` must be one
    /// of its use case's outcomes (`useCase` sets the use case too; without
    /// one, the conversation's own, or the only use case listing `outcome`).
    /// Closing a closed conversation with another outcome corrects it.
    public func close(_ number: PhoneNumber, note: String? = nil, outcome: String? = nil,
        useCase: String? = nil) throws(ParleyError) -> TriageOutcome {
        if let useCase { _ = try configuredUseCase(useCase) }
        return try record(number) { state throws(ParleyError) in
            let kind = try outcome.map { outcome throws(ParleyError) in try useCaseListing(outcome, preferred: useCase ?? state.useCase) }
            let changesUseCase = useCase != nil && useCase != state.useCase
            if !state.isOpen, outcome == nil || outcome == state.outcome, !changesUseCase { return nil }
            return Change(kind: .close, note: note, useCase: changesUseCase ? useCase : (state.useCase == nil ? kind?.name : nil), outcome: outcome)
        }
    }

    public func reopen(_ number: PhoneNumber, note: String? = nil) throws(ParleyError) -> TriageOutcome {
        try record(number) { state in state.isOpen ? nil : Change(kind: .reopen, note: note) }
    }

    /// Says what the conversation is about: one of `parley.yaml`'s use cases.
    public func setUseCase(_ number: PhoneNumber, to name: String, note: String? = nil) throws(ParleyError) -> TriageOutcome {
        _ = try configuredUseCase(name)
        return try record(number) { state in state.useCase == name ? nil : Change(kind: .useCase, note: note, useCase: name) }
    }

    /// The `use_case` event a send from `template` writes when it opens the
    /// conversation (its first message, or the first since it was closed)
    /// and the template names one of the mailbox's use cases: so a
    /// conversation's use case is "taken from the template that opened it"
    /// and stays in the history even if the template changes later.
    func openingUseCaseEvent(_ number: PhoneNumber, template: MessageTemplate?, sending message: Message,
                             in snapshot: any StoreSnapshot) throws(ParleyError) -> ConversationEvent? {
        // A scheduled send keeps only the template's name: its use case is read from the template as it is now.
        var named = template?.useCase
        if named == nil, let template, let data = try snapshot.read(MailboxLayout.templatePath(template.name)) {
            named = try? MessageTemplate.parse(data, name: template.name, blobID: nil).useCase
        }
        guard let name = named, config.monitoring.useCase(named: name) != nil else { return nil }
        let summary = try ConversationSummary.load(number, from: snapshot)
        let opens = summary?.lastMessage == nil || summary?.state.isOpen == false
        guard opens || summary?.state.useCase == nil, summary?.state.useCase != name else { return nil }
        return ConversationEvent(id: ULID.after(ULID(message.id), time: message.time).string, kind: .useCase, time: message.time,
                                 by: agent.handle, note: "from template \(template?.name ?? name)", useCase: name)
    }

    func configuredUseCase(_ name: String) throws(ParleyError) -> UseCase {
        guard let useCase = config.monitoring.useCase(named: name) else {
            throw .invalidInput("'\(name)' is not a use case of this mailbox: use one of "
                + config.monitoring.useCases.map(\.name).joined(separator: ", ") + " (parley.yaml, use_cases)")
        }
        return useCase
    }

    /// The use case an outcome belongs to: `preferred` when it lists it,
    /// else the only one that does.
    private func useCaseListing(_ outcome: String, preferred: String?) throws(ParleyError) -> UseCase {
        if let preferred {
            let useCase = try configuredUseCase(preferred)
            guard useCase.outcomes.contains(outcome) else {
                throw .invalidInput("'\(outcome)' is not an outcome of \(preferred): use one of \(useCase.outcomes.joined(separator: ", "))")
            }
            return useCase
        }
        let listing = config.monitoring.useCases(withOutcome: outcome)
        guard listing.count == 1 else {
            throw .invalidInput(listing.isEmpty
                ? "'\(outcome)' is not an outcome of any use case (parley.yaml, use_cases)"
                : "'\(outcome)' is an outcome of \(listing.map(\.name).joined(separator: " and ")): say which with --use-case")
        }
        return listing[0]
    }

    static func validatedTags(_ tags: [String]) throws(ParleyError) -> [String] {
        guard !tags.isEmpty else { throw .invalidInput("give at least one tag") }
        var normalized: [String] = []
        for tag in tags {
            let lowered = tag.lowercased()
            guard Agent.isValidHandle(lowered) else {
                throw .invalidInput("'\(tag)' is not a usable tag: use letters, digits, '.', '_' or '-'")
            }
            if !normalized.contains(lowered) { normalized.append(lowered) }
        }
        return normalized
    }

    /// What one triage event changes.
    struct Change {
        var kind: ConversationEvent.Kind
        var assignee: String? = nil
        var tags: [String] = []
        var note: String? = nil
        var useCase: String? = nil
        var outcome: String? = nil
        var mentions: [String] = []
        var until: Date? = nil
    }

    /// Appends the event `decide` asks for, or nothing when it answers nil
    /// (the state already matches); it decides inside the commit, so a
    /// concurrent change is seen.
    private func record(
        _ number: PhoneNumber, decide: (ConversationState) throws(ParleyError) -> Change?
    ) throws(ParleyError) -> TriageOutcome {
        let now = clock.now()
        var before = ConversationState.initial
        let commit = try store.commit { snapshot throws(ParleyError) in
            guard let conversation = try Conversation.load(number, from: snapshot) else {
                throw .notFound("no conversation or contact for \(number.e164); add one with 'parley contact add \(number.e164)'")
            }
            before = conversation.state
            guard let wanted = try decide(before) else { return nil }
            // Sort after every earlier event even when the clock is pinned.
            let id = ULID.after(conversation.events.last.flatMap { ULID($0.id) }, time: now).string
            let event = ConversationEvent(id: id, kind: wanted.kind, time: now, by: agent.handle, assignee: wanted.assignee, tags: wanted.tags,
                                          note: wanted.note, useCase: wanted.useCase, outcome: wanted.outcome, mentions: wanted.mentions,
                                          until: wanted.until)
            return change(
                [MailboxLayout.eventPath(number, time: now, id: event.id): event.fileData()],
                CommitMessage(
                    subject: Self.describe(event, who: label(number, in: snapshot)),
                    body: wanted.note,
                    action: .triage(wanted.kind), trailers: [(.number, number.e164), (.eventID, event.id)]))
        }
        guard let commit else { return .unchanged(before) }
        let state = try Conversation.load(number, from: store.snapshot())?.state ?? before
        return .changed(commit, state)
    }

    static func describe(_ event: ConversationEvent, who: String) -> String {
        switch event.kind {
        case .assign: return "Assign \(who) to \(event.assignee ?? "?")"
        case .unassign: return "Unassign \(who)"
        case .tag: return "Tag \(who): \(event.tags.joined(separator: ", "))"
        case .untag: return "Untag \(who): \(event.tags.joined(separator: ", "))"
        case .close: return "Close conversation with \(who)" + (event.outcome.map { ": \($0)" } ?? "")
        case .reopen: return "Reopen conversation with \(who)"
        case .useCase: return "Use case of \(who): \(event.useCase ?? "?")"
        case .note: return "Note on \(who)" + (event.mentions.isEmpty ? "" : " for " + event.mentions.map { "@\($0)" }.joined(separator: ", "))
        case .snooze: return "Snooze \(who) " + (event.until.map { "until \(Timestamp.format($0))" } ?? "until they write")
        case .wake: return "Wake \(who)"
        case .unreachable: return "Mark \(who) unreachable: \(event.note ?? "?")"
        case .reachable: return "Clear \(who) to be texted again"
        }
    }
}
