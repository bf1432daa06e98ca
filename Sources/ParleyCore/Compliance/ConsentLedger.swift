import Foundation

/// A consent record with the commit that stored it, for `consent show`.
public struct ConsentLedgerEntry: Sendable, Codable {
    public let event: ConsentEvent
    public let commit: String?
}

/// The append-only consent ledger: grants, revocations, the review queue and its decisions.
public struct ConsentLedger: MailboxFeature {
    public let mailbox: Mailbox

    public init(_ mailbox: Mailbox) { self.mailbox = mailbox }

    /// The current consent of a number and every record, oldest first, each
    /// with the id of the commit that added it.
    public func ledger(_ number: PhoneNumber) throws(ParleyError) -> (ConsentState, [ConsentLedgerEntry]) {
        let snapshot = try store.snapshot()
        let events = try Conversation.consentEvents(of: number, in: snapshot)
        let directory = MailboxLayout.consentDirectory(number)
        var addedBy: [String: String] = [:]
        // The conversation's commits, oldest first: the first whose tree has a record added it.
        for commit in try store.index().commits(of: number, limit: nil, at: snapshot, store: store, progress: nil).reversed() {
            for file in try store.snapshot(at: commit).list(directory) ?? [] where addedBy[file.name] == nil {
                addedBy[file.name] = commit
            }
        }
        let entries = events.map { event in
            ConsentLedgerEntry(event: event,
                commit: addedBy[String(MailboxLayout.consentPath(number, time: event.time, id: event.id).split(separator: "/").last!)])
        }
        return (ConsentState.fold(events), entries)
    }

    /// Records express consent. The disclosure must be the text exactly as
    /// the customer saw it.
    @discardableResult
    public func grant(
        _ number: PhoneNumber, name: String?, disclosure: String, purpose: String, method: ConsentEvent.Method, source: String?,
        evidenceIP: String? = nil, evidenceURL: String? = nil, evidenceFileHash: String? = nil, time: Date? = nil, note: String? = nil
    ) throws(ParleyError) -> CommitRecord? {
        guard !disclosure.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw .invalidInput("--disclosure must be the consent text exactly as the customer saw it")
        }
        guard !purpose.trimmingCharacters(in: .whitespaces).isEmpty else { throw .invalidInput("--purpose must say what the messages are for") }
        return try appendConsent(number) { id, now throws(ParleyError) in
            if let time, time > now { throw .invalidInput("the consent time \(Timestamp.format(time)) is in the future") }
            if let time, !Timestamp.isPlausibleRecordTime(time, now: now) {
                throw .invalidInput("the consent time \(Timestamp.format(time)) is out of range: it must lie after 2000-01-01")
            }
            return ConsentEvent(
                id: id, kind: .granted, time: time ?? now, number: number, name: name, disclosure: disclosure, purpose: purpose,
                method: method, source: source, actor: agent.handle, evidenceIP: evidenceIP, evidenceURL: evidenceURL,
                evidenceFileHash: evidenceFileHash, note: note)
        }
    }

    /// Records that consent was withdrawn through staff (a call, an email).
    @discardableResult
    public func revoke(_ number: PhoneNumber, source: String?, note: String?) throws(ParleyError) -> CommitRecord? {
        try appendConsent(number) { id, now in
            ConsentEvent(id: id, kind: .revoked, time: now, number: number, method: .verbal, source: source, actor: agent.handle, note: note)
        }
    }

    /// Numbers whose latest reply may be a request to stop, oldest first.
    public func openReviews() throws(ParleyError) -> [ConversationSummary] {
        try store.index().conversations(at: store.snapshot(), onlyUnderReview: true, progress: nil).summaries
            .sorted { ($0.consent.reviewOpenedAt ?? .distantPast) < ($1.consent.reviewOpenedAt ?? .distantPast) }
    }

    /// A person's decision on a review: the customer asked to stop (opt-out),
    /// or did not (keep). Sending resumes only after this.
    @discardableResult
    public func resolveReview(_ number: PhoneNumber, optOut: Bool, note: String?) throws(ParleyError) -> CommitRecord? {
        try appendConsent(number) { id, now throws(ParleyError) in
            ConsentEvent(id: id, kind: .reviewResolved, time: now, number: number, method: .review, actor: agent.handle,
                         resolution: optOut ? "opt_out" : "keep", note: note)
        } precondition: { state throws(ParleyError) in
            guard state.underReview else { throw .notFound("no reply from \(number.e164) is waiting for review") }
        }
    }

    private func appendConsent(
        _ number: PhoneNumber, _ make: (String, Date) throws(ParleyError) -> ConsentEvent,
        precondition: (ConsentState) throws(ParleyError) -> Void = { _ in }
    ) throws(ParleyError) -> CommitRecord? {
        let now = clock.now()
        return try store.commit { snapshot throws(ParleyError) in
            let existing = try Conversation.consentEvents(of: number, in: snapshot)
            try precondition(ConsentState.fold(existing))
            let id = ULID.after(existing.compactMap { ULID($0.id) }.max(), time: now).string
            let event = try make(id, now)
            return change(
                [MailboxLayout.consentPath(number, time: event.time, id: event.id): event.fileData()],
                CommitMessage(
                    subject: Self.describe(event, who: label(number, in: snapshot)), body: event.note,
                    action: .consent(event.kind), trailers: [(.number, number.e164), (.eventID, event.id)]))
        }
    }

    static func describe(_ event: ConsentEvent, who: String) -> String {
        switch event.kind {
        case .granted: return "Record consent of \(who) (\(event.method?.rawValue ?? "unknown method"))"
        case .revoked: return "Record consent revoked by \(who)"
        case .optedOut: return "Opt out \(who) (\(event.method == .keyword ? "texted a STOP keyword" : "after review"))"
        case .optedIn: return "Opt in \(who) again (texted a START keyword)"
        case .reviewOpened: return "Hold messages to \(who): their reply may ask us to stop"
        case .reviewResolved: return "Resolve review of \(who): \(event.resolution == "opt_out" ? "opted out" : "keep messaging")"
        }
    }
}
