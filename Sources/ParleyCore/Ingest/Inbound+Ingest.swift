import Foundation

/// The subject lines and trailers of one ingest commit, gathered item by item.
struct IngestCommitMessage {
    var subjects: [String] = []
    var trailers: [(Trailer, String)] = []
    var gateway: String?

    func message(action: CommitAction) -> CommitMessage {
        let subject = subjects.count == 1 ? subjects[0] : "Receive \(subjects.count) messages and reports"
        return CommitMessage(
            subject: subject, body: subjects.count > 1 ? subjects.map { "- " + $0 }.joined(separator: "\n") : nil,
            action: action, trailers: trailers + (gateway.map { [(.gateway, $0)] } ?? []))
    }
}

extension Inbound {
    /// Stores a batch of inbound messages, delivery reports and automatic
    /// replies' outcomes as ONE commit (the webhook server's group commit):
    /// each item sees the ones before it, duplicates commit nothing, and an
    /// unusable item is rejected without holding up the rest. With
    /// `replyingVia`, a keyword's automatic reply is planned in the same
    /// commit (see `KeywordReplies`).
    public func ingest(_ items: [IngestItem], replyingVia replyGateway: String? = nil) throws(ParleyError) -> (CommitRecord?, [IngestOutcome]) {
        let now = clock.now()
        let replyGateway = config.compliance.keywordReplies ? replyGateway : nil
        var outcomes: [IngestOutcome] = []
        let commit = try store.commit { snapshot throws(ParleyError) in
            var overlay = OverlaySnapshot(base: snapshot)
            var text = IngestCommitMessage()
            outcomes = items.map { item in
                do throws(ParleyError) {
                    let outcome = try apply(item, replyingVia: replyGateway, now: now, to: &overlay)
                    describe(outcome, of: item, into: &text, in: overlay)
                    return outcome
                } catch {
                    return .rejected(error)
                }
            }
            guard !overlay.pending.isEmpty else { return nil }
            return change(overlay.pending.files, text.message(action: Self.action(for: items)))
        }
        if commit == nil {
            outcomes = outcomes.map { outcome in
                if case .stored(let message, _, _, _) = outcome { return .duplicate(message.id) }
                return outcome
            }
        }
        return (commit, outcomes)
    }

    private func apply(_ item: IngestItem, replyingVia replyGateway: String?, now: Date,
                       to overlay: inout OverlaySnapshot) throws(ParleyError) -> IngestOutcome {
        switch item {
        case .inbound(let message): return try apply(message, replyingVia: replyGateway, now: now, to: &overlay)
        case .report(let report): return try apply(report, now: now, to: &overlay)
        case .reply(let attempt): return try apply(attempt, to: &overlay)
        }
    }

    private func describe(_ outcome: IngestOutcome, of item: IngestItem, into text: inout IngestCommitMessage, in snapshot: any StoreSnapshot) {
        switch outcome {
        case .stored(let stored, _, let change, let reply):
            text.subjects.append("Receive message from \(label(stored.from, in: snapshot))" + (change.map { "; " + ConsentLedger.describe($0,
                who: "them").lowercased() } ?? ""))
            text.trailers += [(.number, stored.from.e164), (.messageID, stored.id)]
            if let change { text.trailers.append((.consent, change.kind.rawValue)) }
            if let reply { text.trailers.append((.replyPlanned, reply.id)) }
            if case .inbound(let message) = item, text.gateway == nil { text.gateway = message.gateway }
        case .recorded(let id, let status), .settledInDoubt(let id, let status):
            text.subjects.append("Record \(status.rawValue) for \(id)")
            text.trailers += [(.messageID, id), (.status, status.rawValue)]
        case .unmatched(let key, let status):
            text.subjects.append("Keep an unmatched \(status.rawValue) report (\(key))")
        case .replied(let message, let attempt):
            let keyword = attempt.entry.replyTo ?? "a keyword"
            let who = label(attempt.entry.to, in: snapshot)
            text.subjects.append(message == nil ? "Keep the automatic \(keyword) reply to \(who) in the outbox" : "Answer \(keyword) from \(who) "
                + "automatically")
            text.trailers += [(.number, attempt.entry.to.e164), (.messageID, attempt.entry.id)]
            if let message { text.trailers += [(.receipt, message.gatewayID ?? "none"), (.status, message.status.rawValue)] }
            if text.gateway == nil { text.gateway = attempt.gateway }
        case .duplicate, .alreadyRecorded, .rejected:
            break
        }
    }

    /// Records what the gateway said about a planned reply: the message and
    /// its receipts, a refusal as a failed message, or the entry kept in
    /// doubt; a plan nothing came of is dropped.
    private func apply(_ attempt: ReplyAttempt, to overlay: inout OverlaySnapshot) throws(ParleyError) -> IngestOutcome {
        var entry = attempt.entry
        let business = config.businessNumber
        let message: Message
        var records: [DeliveryRecord] = []
        switch attempt.result {
        case .submitted(let receipt):
            let sent = entry.message(from: business, gateway: attempt.gateway, gatewayID: receipt.gatewayID, status: receipt.status,
                segments: receipt.segments)
            records = mailbox.sending.records(for: sent, receipt: receipt, at: attempt.time)
            message = sent
        case .refused(let error):
            message = entry.message(from: business, gateway: attempt.gateway, gatewayID: nil, status: .failed)
            records = error.failureRecord(messageID: entry.id, gateway: attempt.gateway, at: attempt.time).map { [$0] } ?? []
        case .notSent:
            overlay.pending[entry.path] = .some(nil)
            return .replied(nil, attempt)
        case .inDoubt(let why):
            entry.state = .inDoubt
            entry.note = why
            overlay.pending[entry.path] = entry.fileData()
            return .replied(nil, attempt)
        }
        // A delivery report may have settled the entry first: then only the missing receipts are added.
        if try !Self.storedMessage(id: message.id, of: entry.to, in: overlay) {
            overlay.pending[MailboxLayout.messagePath(entry.to, time: message.time, id: message.id)] = message.fileData()
        }
        for record in records {
            let path = MailboxLayout.receiptPath(entry.to, messageID: message.id, status: record.status)
            if try overlay.read(path) == nil { overlay.pending[path] = record.fileData() }
        }
        if try overlay.read(entry.path) != nil { overlay.pending[entry.path] = .some(nil) }
        return .replied(message, attempt)
    }

    private func apply(_ inbound: InboundMessage, replyingVia replyGateway: String?, now: Date,
                       to overlay: inout OverlaySnapshot) throws(ParleyError) -> IngestOutcome {
        let number = inbound.from
        let time = try Self.recordTime(inbound.time, now: now)
        let id: String
        if let gatewayID = inbound.gatewayID {
            id = try MessageID.validated(gatewayID)
        } else {
            id = try nextMessageID(with: number, in: overlay, at: time)
        }
        guard inbound.body.count <= Sending.maximumBodyLength * 4 else {
            throw .invalidInput("the message has \(inbound.body.count) characters; inbound messages over \(Sending.maximumBodyLength * 4) are refused")
        }
        if try Self.storedMessage(id: id, of: number, in: overlay) { return .duplicate(id) }
        // A card or Social Security number (or a match of parley.yaml's redact:) never reaches Git: replaced before the file is written.
        let (body, removed) = SensitiveNumbers.redact(inbound.body, patterns: config.redactions)
        let segments = SegmentCount(inbound.body)
        var message = Message(
            id: id, direction: .inbound, time: time, from: number, to: inbound.to ?? config.businessNumber, agent: nil,
            gateway: inbound.gateway, gatewayID: inbound.gatewayID, status: .received, segments: segments.segments,
            encoding: segments.encoding.rawValue, body: body)
        message.redacted = removed
        for item in inbound.media {
            guard let data = item.data, item.skipped == nil else {
                message.media.append(MessageMedia(name: item.name, contentType: item.contentType, size: item.size, sha256: nil,
                                                  skipped: item.skipped ?? "not fetched"))
                continue
            }
            let stored = MessageMedia.stored(data, name: item.name, contentType: item.contentType)
            // Content-addressed: a file already there is the same file.
            if let path = stored.path(for: number), try overlay.read(path) == nil { overlay.pending[path] = data }
            message.media.append(stored)
        }
        let keyword = mailbox.keywords.classify(body)
        let ledger = try Conversation.consentEvents(of: number, in: overlay)
        let consentChange = Self.consentChange(for: keyword, state: ConsentState.fold(ledger), number: number, message: message,
                                               id: ULID.after(ledger.compactMap { ULID($0.id) }.max(), time: time).string)
        overlay.pending[MailboxLayout.messagePath(number, time: time, id: id)] = message.fileData()
        if let event = consentChange { overlay.pending[MailboxLayout.consentPath(number, time: event.time, id: event.id)] = event.fileData() }
        let reply = try replyGateway.flatMap { gateway throws(ParleyError) in
            try KeywordReplies(mailbox: mailbox).plan(for: message, keyword: keyword, change: consentChange, gateway: gateway, now: now, in: overlay)
        }
        if let reply { overlay.pending[reply.path] = reply.fileData() }
        return .stored(message, keyword: keyword, consentChange: consentChange, reply: reply)
    }

    private func apply(_ report: StatusReport, now: Date, to overlay: inout OverlaySnapshot) throws(ParleyError) -> IngestOutcome {
        let time = try Self.recordTime(report.report.time, now: now)
        let reference = try report.reference.map { id throws(ParleyError) in try MessageID.validated(id) }
        if let reference, let number = report.number {
            let record = DeliveryRecord(report.report, messageID: reference, gateway: report.gateway, gatewayID: report.gatewayID, at: time)
            let receipt = MailboxLayout.receiptPath(number, messageID: reference, status: report.status)
            if try Self.storedMessage(id: reference, of: number, in: overlay) {
                if try overlay.read(receipt) != nil { return .alreadyRecorded(messageID: reference, status: report.status) }
                overlay.pending[receipt] = record.fileData()
                try markUnreachable(number, after: record, now: now, in: &overlay)
                return .recorded(messageID: reference, status: report.status)
            }
            if let entry = try outboxEntry(reference, in: overlay), entry.state != .scheduled {
                // The gateway had it after all: record the message the entry describes, and the report.
                let message = entry.message(from: config.businessNumber, gateway: report.gateway, gatewayID: report.gatewayID, status: .queued)
                overlay.pending[MailboxLayout.messagePath(entry.to, time: entry.created, id: entry.id)] = message.fileData()
                overlay.pending[MailboxLayout.receiptPath(entry.to, messageID: entry.id, status: report.status)] = record.fileData()
                overlay.pending[entry.path] = .some(nil)
                return .settledInDoubt(messageID: entry.id, status: report.status)
            }
            if ULID(reference) != nil {
                // Our own id, echoed back by the gateway: another clone sent the message
                // and it arrives with the next sync. The receipt waits beside it.
                if try overlay.read(receipt) != nil { return .alreadyRecorded(messageID: reference, status: report.status) }
                overlay.pending[receipt] = record.fileData()
                return .recorded(messageID: reference, status: report.status)
            }
        }
        // Kept, never dropped: a report Parley cannot place is still a fact.
        let key = try MessageID.validated(reference ?? report.gatewayID ?? "unknown")
        let path = MailboxLayout.unmatchedReceiptPath(gateway: report.gateway, key: key, status: report.status)
        if try overlay.read(path) != nil { return .alreadyRecorded(messageID: key, status: report.status) }
        var record = DeliveryRecord(report.report, messageID: key, gateway: report.gateway, gatewayID: report.gatewayID, at: time)
        if let number = report.number { record.errorMessage = (record.errorMessage.map { $0 + "; " } ?? "") + "for \(number.e164)" }
        overlay.pending[path] = record.fileData()
        return .unmatched(key: key, status: report.status)
    }

    /// A permanent carrier error (unknown number, landline) marks the number: no more texts until a person clears it.
    private func markUnreachable(_ number: PhoneNumber, after record: DeliveryRecord, now: Date,
                                 in overlay: inout OverlaySnapshot) throws(ParleyError) {
        guard mailbox.deliverability.classify(record)?.isPermanent == true else { return }
        let conversation = try Conversation.load(number, from: overlay)
        guard let event = mailbox.deliverability.unreachableEvent(number, after: record, at: now, state: conversation?.state,
                                                                  lastEventID: conversation?.events.last?.id) else { return }
        overlay.pending[MailboxLayout.eventPath(number, time: event.time, id: event.id)] = event.fileData()
    }

    /// The time a gateway gave, or now; one no record can carry is refused.
    static func recordTime(_ given: Date?, now: Date) throws(ParleyError) -> Date {
        guard let given else { return now }
        guard Timestamp.isPlausibleRecordTime(given, now: now) else {
            throw .invalidInput("the time \(given.timeIntervalSince1970.isFinite ? Timestamp.format(given) : "given") is out of range: "
                                + "a message's time must lie between 2000-01-01 and a day from now")
        }
        return given
    }

    /// `receive`, `report` or `auto-reply` when every item is of one kind; `ingest` for a mix.
    static func action(for items: [IngestItem]) -> CommitAction {
        let kinds = Set(items.map { item -> CommitAction in
            switch item {
            case .inbound: .receive
            case .report: .report
            case .reply: .autoReply
            }
        })
        return kinds.count == 1 ? kinds.first! : .ingest
    }

    /// The outbox entry with this id, if any.
    func outboxEntry(_ id: String, in snapshot: any StoreSnapshot) throws(ParleyError) -> OutboxEntry? {
        guard let item = try snapshot.list(MailboxLayout.outboxDirectory)?.first(where: { $0.name.hasSuffix("-\(id).md") }) else { return nil }
        let path = MailboxLayout.outboxPath(fileName: item.name)
        return try snapshot.read(path).map { data throws(ParleyError) in try OutboxEntry.parse(data, path: path) }
    }
}
