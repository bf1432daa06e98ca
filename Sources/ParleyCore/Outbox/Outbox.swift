import Foundation

/// What `outbox flush` did with one entry.
public struct FlushOutcome: Sendable {
    public let entry: OutboxEntry
    public let result: Result<SendResult, ParleyError>
}

/// The outbox: messages scheduled for later and sends whose outcome is in doubt, flushed, cancelled and reconciled.
public struct Outbox: MailboxFeature {
    public let mailbox: Mailbox

    public init(_ mailbox: Mailbox) { self.mailbox = mailbox }

    /// Every outbox entry, oldest first.
    public func entries() throws(ParleyError) -> [OutboxEntry] {
        let snapshot = try store.snapshot()
        var entries: [OutboxEntry] = []
        for item in try snapshot.list(MailboxLayout.outboxDirectory) ?? [] where item.name.hasSuffix(".md") {
            let path = MailboxLayout.outboxPath(fileName: item.name)
            if let data = try snapshot.read(path) { entries.append(try OutboxEntry.parse(data, path: path)) }
        }
        return entries.sorted { ($0.created, $0.id) < ($1.created, $1.id) }
    }

    /// Queues a message for `time`. Every rule is checked as it would be
    /// then, so a message that could never go is refused now; and checked
    /// again when it goes.
    public func schedule(to number: PhoneNumber, _ outgoing: OutgoingMessage, at time: Date) throws(ParleyError) -> OutboxEntry {
        try Sending.checkBody(outgoing.body, patterns: config.redactions)
        let now = clock.now()
        guard time >= now.addingTimeInterval(-60) else { throw .invalidInput("\(Timestamp.format(time)) is in the past; use a later --at") }
        let snapshot = try store.snapshot()
        if let erased = try SuppressionList.refusal(for: number, in: snapshot) { throw erased }
        let verdicts = try mailbox.sending.verdicts(number, outgoing, at: time, in: snapshot)
        if let refusal = ComplianceGate.refusal(in: verdicts) { throw Sending.refused(refusal) }
        let overrides = Override.recorded(in: verdicts, reasons: outgoing.overrides)
        let reasons = try mailbox.approvals.reasons(number, outgoing, overrides: overrides, in: snapshot)
        if !reasons.isEmpty {
            throw try mailbox.approvals.hold(number, outgoing, verdicts: verdicts, overrides: overrides, reasons: reasons, notBefore: time, in: snapshot)
        }
        var entry = OutboxEntry(
            id: try nextMessageID(with: number, in: snapshot, at: now), to: number, state: .scheduled, created: now, notBefore: time,
            agent: agent.handle, gateway: nil, template: outgoing.template?.name, templateBlob: outgoing.template?.blobID,
            overrides: overrides, note: nil, body: outgoing.body)
        entry.from = mailbox.sending.line(for: outgoing, in: try Conversation.load(number, from: snapshot)).number
        var extra: [String: Data?] = [:]
        if outgoing.fromDraft { extra[MailboxLayout.draftPath(agent: agent.handle, number: number)] = .some(nil) }
        let local = Timestamp.format(time, in: TimeZone(identifier: config.timeZone) ?? .current)
        try write(entry, subject: "Schedule a message to \(label(number, in: snapshot)) for \(local)", also: extra)
        return entry
    }

    /// The next time quiet hours allow a message to `number`, from now.
    public func nextAllowedTime(for number: PhoneNumber) throws(ParleyError) -> Date {
        let contact = try mailbox.contacts.find(number)
        let location = QuietHours.Location.of(number, contact: contact, businessZone: TimeZone(identifier: config.timeZone) ?? .current)
        guard let next = QuietHours.evaluate(number, at: clock.now(), location: location).nextAllowed else {
            throw .refused("quiet hours allow no message to \(number.e164) in the next eight days")
        }
        return next
    }

    /// Sends every scheduled entry that is due, re-checking every rule now.
    /// A refused entry stays queued with the reason in its note.
    public func flush(via gateway: any Gateway) async throws(ParleyError) -> [FlushOutcome] {
        let now = clock.now()
        var outcomes: [FlushOutcome] = []
        for entry in try entries() where entry.state == .scheduled && (entry.notBefore ?? now) <= now {
            do {
                let result = try await mailbox.sending.send(to: entry.to, entry.outgoing, via: gateway, scheduled: entry)
                outcomes.append(FlushOutcome(entry: entry, result: .success(result)))
            } catch {
                guard case .refused(let reason) = error else {
                    outcomes.append(FlushOutcome(entry: entry, result: .failure(error)))
                    continue
                }
                // Nothing was sent, but the hold and its reason are recorded: say so.
                let lines = reason.components(separatedBy: "\n").filter { !$0.contains(Sending.nothingSentOrRecorded) }
                var held = entry
                held.note = lines.first
                try? write(held, subject: "Hold scheduled message \(entry.id) to \(entry.to.e164): \(held.note ?? "refused")")
                let kept = (lines + ["  nothing was sent; it stays queued with this reason in its note ('parley outbox' shows "
                    + "it)"]).joined(separator: "\n")
                outcomes.append(FlushOutcome(entry: entry, result: .failure(.refused(kept))))
            }
        }
        return outcomes
    }

    /// Removes a scheduled entry without sending it.
    @discardableResult
    public func cancel(_ id: String) throws(ParleyError) -> OutboxEntry {
        guard let entry = try entries().first(where: { $0.isNamed(by: id) }) else {
            throw .notFound("no outbox entry \(id); see parley outbox")
        }
        guard entry.state == .scheduled else {
            throw .conflict("\(entry.id) is \(entry.state.rawValue), not scheduled: it may have reached the gateway; reconcile it with "
                + "'parley outbox reconcile'")
        }
        let removal: [String: Data?] = [entry.path: nil]
        _ = try store.commit { snapshot throws(ParleyError) in
            change(removal, CommitMessage(
                subject: "Cancel scheduled message \(entry.id) to \(label(entry.to, in: snapshot))",
                action: .outboxCancel, trailers: [(.number, entry.to.e164), (.messageID, entry.id)]))
        }
        return entry
    }

    func write(_ entry: OutboxEntry, subject: String, also extra: [String: Data?] = [:], trailers: [(Trailer, String)] = [],
               signedWith key: SSHSignature.SigningKey? = nil) throws(ParleyError) {
        var files = extra
        files[entry.path] = entry.fileData()
        _ = try store.commit { _ in
            var commit = change(files, CommitMessage(subject: subject, action: .outbox(entry.state), trailers: [
                (.number, entry.to.e164), (.messageID, entry.id),
            ] + trailers))
            if let key { commit.sign = { data in try key.sign(data) } }
            return commit
        }
    }

    /// After a failure before anything was sent: a write-ahead intent is
    /// removed; a scheduled entry goes back to waiting, with the reason.
    func removeOrRestore(_ entry: OutboxEntry, restore: Bool, note: String) throws(ParleyError) {
        if restore {
            var restored = entry
            restored.state = .scheduled
            restored.note = note
            try write(restored, subject: "Keep \(entry.id) to \(entry.to.e164) queued: \(note)")
        } else {
            let removal: [String: Data?] = [entry.path: nil]
            _ = try store.commit { _ in
                change(removal, CommitMessage(
                    subject: "Drop unsent \(entry.id) to \(entry.to.e164): \(note)",
                    action: .outboxDrop, trailers: [(.number, entry.to.e164), (.messageID, entry.id)]))
            }
        }
    }
}

/// What `outbox reconcile` concluded about one entry.
public enum ReconcileOutcome: Sendable {
    /// The provider has it: recorded as sent, removed from the outbox.
    case sent(OutboxEntry, CommitRecord?)
    /// The provider has no record of it: it stays, for a person to resend.
    case notSent(OutboxEntry)
    /// Nobody can tell yet.
    case stillInDoubt(OutboxEntry, String)
}

extension Outbox {
    /// Settles every entry whose send may or may not have happened (a
    /// timeout, or a crash between submission and receipt) by asking the
    /// provider, before anything is sent again.
    public func reconcile(via gateway: any Gateway) async throws(ParleyError) -> [ReconcileOutcome] {
        var outcomes: [ReconcileOutcome] = []
        for entry in try entries() where entry.state == .sending || entry.state == .inDoubt {
            let segments = SegmentCount(entry.body)
            let submission = Submission(id: entry.id, from: entry.from ?? config.businessNumber, to: entry.to, body: entry.body, segments: segments)
            let answer: LookupResult
            do {
                answer = try await gateway.lookup(submission, submittedAfter: entry.created)
            } catch {
                answer = .unknown("\(gateway.name) \(error)")
            }
            switch answer {
            case .found(let receipt):
                let message = entry.message(from: config.businessNumber, gateway: gateway.name, gatewayID: receipt.gatewayID,
                                            status: receipt.status, segments: receipt.segments)
                let records = mailbox.sending.records(for: message, receipt: receipt, at: clock.now())
                let sent = message
                let commit = try store.commit { snapshot throws(ParleyError) in
                    var files: [String: Data?] = [MailboxLayout.messagePath(entry.to, time: sent.time, id: sent.id): sent.fileData(), entry.path: nil]
                    for record in records { files[MailboxLayout.receiptPath(entry.to, messageID: sent.id,
                        status: record.status)] = record.fileData() }
                    return change(files, CommitMessage(
                        subject: "Reconcile \(sent.id) to \(label(entry.to, in: snapshot)): \(gateway.name) has it",
                        action: .reconcile, trailers: [(.number, entry.to.e164), (.messageID, sent.id),
                                   (.gateway, gateway.name), (.receipt, sent.gatewayID ?? "none")]))
                }
                outcomes.append(.sent(entry, commit))
            case .notFound:
                var held = entry
                held.state = .inDoubt
                held.note = "\(gateway.name) has no record of it: it was not sent; resend with "
                    + "'parley outbox reconcile \(entry.id) --resend --reason TEXT'"
                if held != entry { try write(held, subject: "Note that \(gateway.name) never received \(entry.id) to \(entry.to.e164)") }
                outcomes.append(.notSent(held))
            case .unknown(let why):
                var held = entry
                held.state = .inDoubt
                held.note = why
                if held != entry { try write(held, subject: "Keep \(entry.id) to \(entry.to.e164) in doubt") }
                outcomes.append(.stillInDoubt(held, why))
            }
        }
        return outcomes
    }

    /// Sends an in-doubt message again, by a person's decision: the reason
    /// is recorded with it. Every rule is checked again.
    public func resend(_ id: String, reason: String, via gateway: any Gateway) async throws(ParleyError) -> SendResult {
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw .invalidInput("--resend needs --reason TEXT") }
        guard let entry = try entries().first(where: { $0.id == id }) else { throw .notFound("no outbox entry \(id); see parley outbox") }
        guard entry.state == .sending || entry.state == .inDoubt else {
            throw .conflict("\(id) is \(entry.state.rawValue), not in doubt; only an in-doubt send is resent")
        }
        var outgoing = entry.outgoing
        outgoing.overrides = [:]
        outgoing.resendReason = reason
        return try await mailbox.sending.send(to: entry.to, outgoing, via: gateway, scheduled: entry)
    }
}
