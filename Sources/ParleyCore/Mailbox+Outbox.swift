import Foundation

/// What `outbox flush` did with one entry.
public struct FlushOutcome: Sendable {
    public let entry: OutboxEntry
    public let result: Result<SendResult, ParleyError>
}

extension Mailbox {
    /// Every outbox entry, oldest first.
    public func outbox() throws(ParleyError) -> [OutboxEntry] {
        let snapshot = try store.snapshot()
        var entries: [OutboxEntry] = []
        for item in try snapshot.list(MailboxLayout.outboxDirectory) ?? [] where item.name.hasSuffix(".md") {
            let path = MailboxLayout.outboxDirectory + "/" + item.name
            if let data = try snapshot.read(path) { entries.append(try OutboxEntry.parse(data, path: path)) }
        }
        return entries.sorted { ($0.created, $0.id) < ($1.created, $1.id) }
    }

    /// Queues a message for `time`. Every rule is checked as it would be
    /// then, so a message that could never go is refused now; and checked
    /// again when it goes.
    public func schedule(to number: PhoneNumber, _ outgoing: OutgoingMessage, at time: Date) throws(ParleyError) -> OutboxEntry {
        try Self.checkBody(outgoing.body)
        let now = clock.now()
        guard time >= now.addingTimeInterval(-60) else { throw .invalidInput("\(Timestamp.format(time)) is in the past; use a later --at") }
        let snapshot = try store.snapshot()
        let verdicts = try verdicts(number, outgoing, at: time, in: snapshot)
        if let refusal = ComplianceGate.refusal(in: verdicts) { throw Self.refused(refusal) }
        let overrides = verdicts.filter { $0.outcome == .overridden }.map { "\($0.rule.rawValue): \(outgoing.overrides[$0.rule] ?? "")" }
        let entry = OutboxEntry(
            id: try nextMessageID(with: number, in: snapshot, at: now), to: number, state: .scheduled, created: now, notBefore: time,
            agent: agent.handle, gateway: nil, template: outgoing.template?.name, templateBlob: outgoing.template?.blobID,
            overrides: overrides, note: nil, body: outgoing.body)
        var extra: [String: Data?] = [:]
        if outgoing.fromDraft { extra[MailboxLayout.draftPath(agent: agent.handle, number: number)] = .some(nil) }
        try writeOutbox(entry, subject: "Schedule a message to \(label(number, in: snapshot)) for \(Timestamp.format(time))", also: extra)
        return entry
    }

    /// The next time quiet hours allow a message to `number`, from now.
    public func nextAllowedTime(for number: PhoneNumber) throws(ParleyError) -> Date {
        let contact = try contact(number)
        let location = QuietHours.Location.of(number, contact: contact, businessZone: TimeZone(identifier: config.timeZone) ?? .current)
        guard let next = QuietHours.evaluate(number, at: clock.now(), location: location).nextAllowed else {
            throw .refused("quiet hours allow no message to \(number.e164) in the next eight days")
        }
        return next
    }

    /// Sends every scheduled entry that is due, re-checking every rule now.
    /// A refused entry stays queued with the reason in its note.
    public func flushOutbox(via gateway: any Gateway) async throws(ParleyError) -> [FlushOutcome] {
        let now = clock.now()
        var outcomes: [FlushOutcome] = []
        for entry in try outbox() where entry.state == .scheduled && (entry.notBefore ?? now) <= now {
            let template = entry.template.map { MessageTemplate.reference(name: $0, blobID: entry.templateBlob) }
            let overrides = Dictionary(entry.overrides.compactMap { text -> (ComplianceRule, String)? in
                let parts = text.split(separator: ":", maxSplits: 1)
                guard let rule = ComplianceRule(rawValue: String(parts[0])) else { return nil }
                return (rule, parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : "")
            }, uniquingKeysWith: { first, _ in first })
            do {
                let result = try await send(to: entry.to, OutgoingMessage(body: entry.body, template: template, overrides: overrides), via: gateway, scheduled: entry)
                outcomes.append(FlushOutcome(entry: entry, result: .success(result)))
            } catch {
                if case .refused(let reason) = error {
                    var held = entry
                    held.note = reason.components(separatedBy: "\n").first
                    try? writeOutbox(held, subject: "Hold scheduled message \(entry.id) to \(entry.to.e164): \(held.note ?? "refused")")
                }
                outcomes.append(FlushOutcome(entry: entry, result: .failure(error)))
            }
        }
        return outcomes
    }

    /// Removes a scheduled entry without sending it.
    @discardableResult
    public func cancelOutboxEntry(_ id: String) throws(ParleyError) -> OutboxEntry {
        guard let entry = try outbox().first(where: { $0.id == id || $0.id.hasPrefix(id.uppercased()) && id.count >= 6 }) else {
            throw .notFound("no outbox entry \(id); see parley outbox")
        }
        guard entry.state == .scheduled else {
            throw .conflict("\(entry.id) is \(entry.state.rawValue), not scheduled: it may have reached the gateway; reconcile it with 'parley outbox reconcile'")
        }
        let removal: [String: Data?] = [entry.path: nil]
        _ = try store.commit { snapshot throws(ParleyError) in
            change(removal, CommitMessage(
                subject: "Cancel scheduled message \(entry.id) to \(label(entry.to, in: snapshot))",
                trailers: [("Parley-Action", "outbox-cancel"), ("Parley-Number", entry.to.e164), ("Parley-Message-Id", entry.id)]))
        }
        return entry
    }

    func writeOutbox(_ entry: OutboxEntry, subject: String, also extra: [String: Data?] = [:]) throws(ParleyError) {
        var files = extra
        files[entry.path] = entry.fileData()
        _ = try store.commit { _ in
            change(files, CommitMessage(subject: subject, trailers: [
                ("Parley-Action", "outbox-\(entry.state.rawValue)"), ("Parley-Number", entry.to.e164), ("Parley-Message-Id", entry.id),
            ]))
        }
    }

    /// After a failure before anything was sent: a write-ahead intent is
    /// removed; a scheduled entry goes back to waiting, with the reason.
    func removeOrRestoreOutbox(_ entry: OutboxEntry, restore: Bool, note: String) throws(ParleyError) {
        if restore {
            var restored = entry
            restored.state = .scheduled
            restored.note = note
            try writeOutbox(restored, subject: "Keep \(entry.id) to \(entry.to.e164) queued: \(note)")
        } else {
            let removal: [String: Data?] = [entry.path: nil]
            _ = try store.commit { _ in
                change(removal, CommitMessage(
                    subject: "Drop unsent \(entry.id) to \(entry.to.e164): \(note)",
                    trailers: [("Parley-Action", "outbox-drop"), ("Parley-Number", entry.to.e164), ("Parley-Message-Id", entry.id)]))
            }
        }
    }
}
