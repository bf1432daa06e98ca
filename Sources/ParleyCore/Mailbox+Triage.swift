import Foundation

/// The outcome of a triage command.
public enum TriageOutcome: Sendable, Equatable {
    case changed(CommitRecord, ConversationState)
    /// The conversation was already in the asked-for state; nothing committed.
    case unchanged(ConversationState)
}

extension Mailbox {
    public func assign(_ number: PhoneNumber, to assignee: String?) throws(ParleyError) -> TriageOutcome {
        if let assignee, !Agent.isValidHandle(assignee) {
            throw .invalidInput("'\(assignee)' is not an agent handle: use letters, digits, '.', '_' or '-'")
        }
        return try record(number, kind: assignee == nil ? .unassign : .assign, assignee: assignee) { state in
            state.assignee == assignee
        }
    }

    public func tag(_ number: PhoneNumber, add tags: [String]) throws(ParleyError) -> TriageOutcome {
        let tags = try Self.validatedTags(tags)
        return try record(number, kind: .tag, tags: tags) { state in Set(tags).isSubset(of: state.tags) }
    }

    public func untag(_ number: PhoneNumber, remove tags: [String]) throws(ParleyError) -> TriageOutcome {
        let tags = try Self.validatedTags(tags)
        return try record(number, kind: .untag, tags: tags) { state in Set(tags).isDisjoint(with: state.tags) }
    }

    public func close(_ number: PhoneNumber, note: String? = nil) throws(ParleyError) -> TriageOutcome {
        try record(number, kind: .close, note: note) { !$0.isOpen }
    }

    public func reopen(_ number: PhoneNumber, note: String? = nil) throws(ParleyError) -> TriageOutcome {
        try record(number, kind: .reopen, note: note) { $0.isOpen }
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

    /// Appends one event unless the state already matches; the check runs
    /// inside the commit so a concurrent change is seen.
    private func record(
        _ number: PhoneNumber, kind: ConversationEvent.Kind, assignee: String? = nil, tags: [String] = [], note: String? = nil,
        alreadyDone: (ConversationState) -> Bool
    ) throws(ParleyError) -> TriageOutcome {
        let now = clock.now()
        var before = ConversationState.initial
        let commit = try store.commit { snapshot throws(ParleyError) in
            guard let conversation = try Conversation.load(number, from: snapshot) else {
                throw .notFound("no conversation or contact for \(number.e164); add one with 'parley contact add \(number.e164)'")
            }
            before = conversation.state
            if alreadyDone(before) { return nil }
            // Sort after every earlier event even when the clock is pinned.
            let id = ULID.after(conversation.events.last.flatMap { ULID($0.id) }, time: now).string
            let event = ConversationEvent(id: id, kind: kind, time: now, by: agent.handle, assignee: assignee, tags: tags, note: note)
            return change(
                [MailboxLayout.eventPath(number, time: now, id: event.id): event.fileData()],
                CommitMessage(
                    subject: Self.describe(event, who: label(number, in: snapshot)),
                    body: note,
                    trailers: [(.action, kind.rawValue), (.number, number.e164), (.eventID, event.id)]))
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
        case .close: return "Close conversation with \(who)"
        case .reopen: return "Reopen conversation with \(who)"
        }
    }
}
