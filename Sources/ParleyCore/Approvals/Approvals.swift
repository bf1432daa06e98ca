import Foundation

/// What `parley approve` did with a held text.
public enum ApprovalOutcome: Sendable {
    /// It went through the gate again and out, approved.
    case sent(SendResult)
    /// Approved before its time: it waits in the outbox as scheduled.
    case scheduled(OutboxEntry)
}

/// Review before send (`parley.yaml`, `review:`): a text the policy holds
/// waits in the outbox as `awaiting_approval` with why, until another agent
/// approves it (it then goes through the gate again, and its message and
/// commit name the approver) or returns it to its author as a draft.
/// Nobody approves their own text; an edit makes the editor its author, so
/// it needs approval again.
public struct Approvals: MailboxFeature {
    public let mailbox: Mailbox

    public init(_ mailbox: Mailbox) { self.mailbox = mailbox }

    /// Why this agent's `outgoing` to `number` needs a second person; empty when it may go.
    func reasons(_ number: PhoneNumber, _ outgoing: OutgoingMessage, overrides: [Override],
                 in snapshot: any StoreSnapshot) throws(ParleyError) -> [ReviewPolicy.Reason] {
        guard !config.review.isEmpty, outgoing.approvedBy == nil else { return [] }
        let firstContact = try ConversationSummary.load(number, from: snapshot)?.lastOutboundAt == nil
        return config.review.reasons(agent: agent.handle, fromTemplate: outgoing.template != nil, firstContact: firstContact,
                                     overrides: !overrides.isEmpty)
    }

    /// Records `outgoing` as awaiting approval, with the gate's verdicts of
    /// this moment as trailers, and returns the error that says so: nothing is sent.
    func hold(_ number: PhoneNumber, _ outgoing: OutgoingMessage, verdicts: [RuleVerdict], overrides: [Override],
              reasons: [ReviewPolicy.Reason], notBefore: Date?, in snapshot: any StoreSnapshot) throws(ParleyError) -> ParleyError {
        let now = clock.now()
        var entry = OutboxEntry(
            id: try nextMessageID(with: number, in: snapshot, at: now), to: number, state: .awaitingApproval, created: now, notBefore: notBefore,
            agent: agent.handle, gateway: nil, template: outgoing.template?.name, templateBlob: outgoing.template?.blobID,
            overrides: overrides, note: nil, body: outgoing.body)
        entry.review = reasons.map(\.description)
        entry.from = mailbox.sending.line(for: outgoing, in: try Conversation.load(number, from: snapshot)).number
        var files: [String: Data?] = [entry.path: entry.fileData()]
        if outgoing.fromDraft { files[MailboxLayout.draftPath(agent: agent.handle, number: number)] = .some(nil) }
        _ = try store.commit { snapshot throws(ParleyError) in
            change(files, CommitMessage(
                subject: "Hold a message to \(label(number, in: snapshot)) for approval",
                action: .outbox(.awaitingApproval),
                trailers: [(.number, number.e164), (.messageID, entry.id), (.review, entry.review.joined(separator: "; "))]
                    + Sending.verdictTrailers(verdicts)))
        }
        return .awaitingApproval("held for approval (\(entry.review.joined(separator: "; "))): nothing was sent; it waits as \(entry.id). "
            + "Another agent sends it with 'parley approve \(entry.id)' or returns it with 'parley reject \(entry.id) --reason TEXT'")
    }

    /// What waits for approval, oldest first.
    public func waiting() throws(ParleyError) -> [OutboxEntry] {
        try mailbox.outbox.entries().filter { $0.state == .awaitingApproval }
    }

    /// Approves a held text: it goes through every rule again now and out
    /// (or, approved before its time, waits as scheduled). Its message and
    /// the send commit name the approver; under `review.require_signed` that
    /// commit is signed with `signingKey`, which must be the approver's.
    public func approve(_ id: String, via gateway: any Gateway, signingKey: SSHSignature.SigningKey? = nil) async throws(ParleyError) -> ApprovalOutcome {
        var entry = try waitingEntry(id)
        guard entry.agent != agent.handle else {
            throw .invalidInput("nobody approves their own text: \(entry.id) is by \(entry.agent); another agent approves it")
        }
        if config.review.requireSigned {
            guard let signingKey else {
                throw .invalidInput("approvals here count only when signed (review.require_signed): set PARLEY_SIGNING_KEY (or git's "
                    + "user.signingkey) to your SSH key (ed25519, no passphrase), listed for \(agent.email) in \(MailboxLayout.allowedSigners)")
            }
            // An approval that could not count is refused before anything is sent.
            let allowed = try store.snapshot().read(MailboxLayout.allowedSigners).map { String(decoding: $0, as: UTF8.self) } ?? ""
            guard SSHSignature.allowedKeys(allowed, for: agent.email).contains(signingKey.publicKeyBlob) else {
                throw .invalidInput("your signing key is not listed for \(agent.email) in \(MailboxLayout.allowedSigners): an approval "
                    + "signed with it would not count; add its public key there (reviewed in Git) or use the listed one")
            }
        }
        entry.approvedBy = agent.handle
        if let notBefore = entry.notBefore, notBefore > clock.now() {
            entry.state = .scheduled
            try mailbox.outbox.write(entry, subject: "Approve \(entry.id) to \(entry.to.e164), scheduled for \(Timestamp.format(notBefore))",
                                     trailers: [(.approvedBy, agent.handle)], signedWith: signingKey)
            return .scheduled(entry)
        }
        var outgoing = entry.outgoing
        outgoing.signingKey = signingKey
        return .sent(try await mailbox.sending.send(to: entry.to, outgoing, via: gateway, scheduled: entry))
    }

    /// Replaces a held text's body: the editor becomes its author, so another agent approves it again.
    public func edit(_ id: String, body: String) throws(ParleyError) -> OutboxEntry {
        var entry = try waitingEntry(id)
        try Sending.checkBody(body, patterns: config.redactions)
        var outgoing = entry.outgoing
        outgoing.body = body
        let verdicts = try mailbox.sending.verdicts(entry.to, outgoing, at: entry.notBefore ?? clock.now(), in: store.snapshot())
        if let refusal = ComplianceGate.refusal(in: verdicts) { throw Sending.refused(refusal) }
        let author = entry.agent
        entry.body = body
        entry.agent = agent.handle
        entry.note = "edited by \(agent.handle) (was \(author)'s): needs approval again"
        try mailbox.outbox.write(entry, subject: "Edit \(entry.id) to \(entry.to.e164) held for approval")
        return entry
    }

    /// Returns a held text to its author as their draft for the number, with the reason.
    public func reject(_ id: String, reason: String) throws(ParleyError) -> OutboxEntry {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw .invalidInput("say why with --reason TEXT: the author reads it") }
        let entry = try waitingEntry(id)
        let draft = Draft(number: entry.to, template: entry.template, templateBlob: entry.templateBlob, created: clock.now(), body: entry.body)
        let files: [String: Data?] = [entry.path: nil, MailboxLayout.draftPath(agent: entry.agent, number: entry.to): draft.fileData()]
        _ = try store.commit { snapshot throws(ParleyError) in
            change(files, CommitMessage(
                subject: "Return \(entry.id) to \(label(entry.to, in: snapshot)) to \(entry.agent) as a draft", body: reason,
                action: .reject, trailers: [(.number, entry.to.e164), (.messageID, entry.id), (.rejectedBy, agent.handle)]))
        }
        return entry
    }

    /// The held text `id` names; an unknown id, or one no longer waiting, is an error that says which.
    public func waitingEntry(_ id: String) throws(ParleyError) -> OutboxEntry {
        guard let entry = try mailbox.outbox.entries().first(where: { $0.isNamed(by: id) }) else {
            throw .notFound("nothing waits for approval as \(id); 'parley approvals' lists what does")
        }
        guard entry.state == .awaitingApproval else {
            throw .conflict("\(entry.id) is \(entry.state.rawValue), not awaiting approval" + (entry.approvedBy.map { " (approved by \($0))" } ?? ""))
        }
        return entry
    }
}
