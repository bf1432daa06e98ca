import Foundation

/// What to send: the text and where it came from.
public struct OutgoingMessage: Sendable {
    public var body: String
    public var template: MessageTemplate?
    /// Remove this agent's draft for the number in the send commit.
    public var fromDraft: Bool
    /// Rules to override, with the reason a person gave for each.
    public var overrides: [ComplianceRule: String]
    /// Why a message whose first send is in doubt is sent again.
    public var resendReason: String?
    /// Pictures or files to send with the text (MMS).
    public var media: [OutgoingMedia] = []
    /// The second person who approved a text the review policy held; the text stays its author's.
    public var approvedBy: String?
    /// The approver's key, which signs the send commit under `review.require_signed`.
    public var signingKey: SSHSignature.SigningKey?
    /// The line it goes from; nil: the line `Lines.choose` picks (sticky, or by use case).
    public var line: SenderLine?
    /// The automation decision this text carries out, committed with it (the text's id filled in) so a retry finds both or neither.
    public var automationRecord: AutomationRecord?

    public init(body: String, template: MessageTemplate? = nil, fromDraft: Bool = false, overrides: [ComplianceRule: String] = [:]) {
        self.body = body
        self.template = template
        self.fromDraft = fromDraft
        self.overrides = overrides
    }
}

/// What `send` did.
public struct SendResult: Sendable {
    public let message: Message
    public let deliveries: [DeliveryRecord]
    public let segments: SegmentCount
    public let verdicts: [RuleVerdict]
    public let commit: CommitRecord?
    /// The gateway's refusal, when it refused (the attempt is still recorded).
    public let rejection: GatewayError?
    /// Why the message, already handed to the gateway, could not be
    /// committed: the send stands, the outbox keeps its intent for
    /// `outbox reconcile`, and the command warns instead of failing.
    public var recordProblem: ParleyError? = nil
    /// The line it went from.
    public var line: SenderLine?
    /// The pause this send's failure put on its line.
    public var linePause: LineEvent?

    /// The message's status after all known receipts.
    public var status: DeliveryStatus { DeliveryRecord.effectiveStatus(of: deliveries, initial: message.status) }
}

/// Sending a message: every rule of the gate first, then the write-ahead intent, the gateway, and the message committed with its receipt.
public struct Sending: MailboxFeature {
    public let mailbox: Mailbox

    public init(_ mailbox: Mailbox) { self.mailbox = mailbox }

    /// The longest body Parley sends (Twilio's own limit).
    public static let maximumBodyLength = 1600

    /// Every rule's verdict for sending `outgoing` to `number` at `time`
    /// (default: now), without sending: `send --dry-run`.
    public func check(_ number: PhoneNumber, _ outgoing: OutgoingMessage, at time: Date? = nil) throws(ParleyError) -> [RuleVerdict] {
        try verdicts(number, outgoing, at: time ?? clock.now(), in: store.snapshot())
    }

    func verdicts(_ number: PhoneNumber, _ outgoing: OutgoingMessage, at time: Date,
        in snapshot: any StoreSnapshot) throws(ParleyError) -> [RuleVerdict] {
        try judge(number, outgoing, at: time, in: snapshot).verdicts
    }

    /// Every rule's verdict, and the line the text would go from.
    private func judge(_ number: PhoneNumber, _ outgoing: OutgoingMessage, at time: Date,
                       in snapshot: any StoreSnapshot) throws(ParleyError) -> (verdicts: [RuleVerdict], line: SenderLine) {
        let conversation = try Conversation.load(number, from: snapshot)
        let gate = try ComplianceGate.reading(snapshot, config: config)
        let lastInbound = conversation?.messages.last { $0.direction == .inbound }
        var input = ComplianceGate.Input(
            number: number, body: outgoing.body, time: time, contact: conversation?.contact, consent: conversation?.consent ?? .empty,
            lastInboundAt: lastInbound?.time, lastInboundID: lastInbound?.id,
            hasOutbound: conversation?.messages.contains { $0.direction == .outbound } ?? false, overrides: outgoing.overrides)
        let line = line(for: outgoing, in: conversation)
        input.line = line
        input.linePause = try mailbox.lines.pause(of: line, in: snapshot)?.reason
        input.unreachable = conversation?.state.unreachable
        input.subject = outgoing.template?.useCase ?? conversation?.state.useCase
        input.earlierSends = FrequencyLimit.sends(times: (conversation?.messages ?? []).filter { $0.direction == .outbound }.map { ($0.time, $0.agent) },
                                                  events: conversation?.events ?? [])
        return (gate.evaluate(input), line)
    }

    /// The line `outgoing` goes from: its own, else the sticky or use-case line.
    func line(for outgoing: OutgoingMessage, in conversation: Conversation?) -> SenderLine {
        outgoing.line ?? mailbox.lines.choose(in: conversation, useCase: outgoing.template?.useCase ?? conversation?.state.useCase)
    }

    /// Sends one message: every compliance rule first (a refusal leaves the
    /// repository untouched), then—for gateways that leave the machine—the
    /// intent is committed before submission, then the message is committed
    /// together with the gateway's receipt. A refusal by the gateway is
    /// recorded as a failed message; a failure before anything was sent
    /// records nothing; a gateway that goes silent leaves the message in
    /// the outbox as in doubt, never silently resent.
    public func send(to number: PhoneNumber, _ outgoing: OutgoingMessage, via gateway: any Gateway) async throws(ParleyError) -> SendResult {
        try await send(to: number, outgoing, via: gateway, scheduled: nil)
    }

    func send(to number: PhoneNumber, _ outgoing: OutgoingMessage, via gateway: any Gateway,
        scheduled: OutboxEntry?) async throws(ParleyError) -> SendResult {
        var outgoing = outgoing
        // A queued or held text keeps the line it was written for.
        if outgoing.line == nil, let from = scheduled?.from { outgoing.line = config.line(number: from) }
        try Self.checkBody(outgoing.body, patterns: config.redactions)
        let now = clock.now()
        var snapshot = try store.snapshot()
        if let erased = try SuppressionList.refusal(for: number, in: snapshot) { throw erased }
        if try await lookUpLineType(number, via: gateway, in: snapshot) { snapshot = try store.snapshot() }
        let (verdicts, line) = try judge(number, outgoing, at: now, in: snapshot)
        if let refusal = ComplianceGate.refusal(in: verdicts) { throw Self.refused(refusal) }

        let overrides = Override.recorded(in: verdicts, reasons: outgoing.overrides)
        if scheduled == nil {
            let reasons = try mailbox.approvals.reasons(number, outgoing, overrides: overrides, in: snapshot)
            if !reasons.isEmpty {
                throw try mailbox.approvals.hold(number, outgoing, verdicts: verdicts, overrides: overrides, reasons: reasons, notBefore: nil,
                                                 in: snapshot)
            }
        }
        let id: String
        if let scheduled { id = scheduled.id } else { id = try nextMessageID(with: number, in: snapshot, at: now) }
        var intent = scheduled ?? OutboxEntry(
            id: id, to: number, state: .sending, created: now, notBefore: nil, agent: agent.handle, gateway: gateway.name,
            template: outgoing.template?.name, templateBlob: outgoing.template?.blobID, overrides: overrides, note: nil, body: outgoing.body)
        intent.from = line.number
        intent.state = .sending
        intent.gateway = gateway.name
        let mediaFiles = try OutgoingMedia.files(outgoing.media, for: number, via: gateway)
        if !outgoing.media.isEmpty { intent.media = outgoing.media.map(\.stored) }
        if gateway.leavesMachine {
            // The media are in the repository before the provider is asked to fetch them.
            try mailbox.outbox.write(intent, subject: "Prepare to send \(intent.id) to \(label(number, in: snapshot)) via \(gateway.name)", also: mediaFiles)
        }
        var message = intent.message(from: line.number, gateway: gateway.name, gatewayID: nil, status: .pending)
        message.time = now
        // An approved text stays its author's; the approver is named beside it.
        message.agent = outgoing.approvedBy == nil ? agent.handle : intent.agent
        message.approvedBy = outgoing.approvedBy
        message.overrides = overrides
        let attempt = try await submit(message, intent: intent, scheduled: scheduled != nil, via: gateway)
        let outboxPath: String? = (gateway.leavesMachine || scheduled != nil) ? intent.path : nil
        let recorded = recordAfterSubmission { () throws(ParleyError) in
            try record(attempt, outgoing, verdicts: verdicts, removing: outboxPath, via: gateway, also: mediaFiles)
        }
        var result = SendResult(message: attempt.message, deliveries: attempt.deliveries, segments: SegmentCount(outgoing.body), verdicts: verdicts,
                                commit: recorded.commit, rejection: attempt.rejection)
        result.recordProblem = recorded.problem
        result.line = line
        if recorded.problem == nil, attempt.deliveries.contains(where: { $0.status == .failed || $0.status == .undelivered }) {
            // The text is out and recorded: a pause that cannot be written now is made by the next failure's review.
            result.linePause = try? mailbox.deliverability.review(line)
        }
        return result
    }

    /// Before a first text, asks the provider once what kind of line the
    /// number is and keeps the answer as a contact fact (the gate refuses a
    /// landline). Says whether it recorded one; a provider without a lookup,
    /// or one that fails, leaves the gate to go on without it.
    private func lookUpLineType(_ number: PhoneNumber, via gateway: any Gateway, in snapshot: any StoreSnapshot) async throws(ParleyError) -> Bool {
        guard let lookup = gateway as? any NumberLookup else { return false }
        let contact = try snapshot.read(MailboxLayout.contactPath(number)).map { data throws(ParleyError) in
            try Contact.parse(data, path: MailboxLayout.contactPath(number))
        }
        guard contact?.lineType == nil, try ConversationSummary.load(number, from: snapshot)?.lastOutboundAt == nil,
              let result = try? await lookup.lineType(of: number) else { return false }
        return try mailbox.contacts.recordLineType(number, result) != nil
    }

    /// What the gateway made of a send: the message with its status, the
    /// delivery records, the refusal and the opt-out a refusal may carry.
    struct SendAttempt {
        var message: Message
        var deliveries: [DeliveryRecord] = []
        var rejection: GatewayError?
        var optOut: ConsentEvent?
    }

    /// Submits `message`. A refusal comes back as a failed attempt to record;
    /// when nothing was sent, or nobody knows, the outbox says so and this throws.
    private func submit(_ message: Message, intent: OutboxEntry, scheduled: Bool, via gateway: any Gateway) async throws(ParleyError) -> SendAttempt {
        var attempt = SendAttempt(message: message)
        let now = message.time, number = message.to
        let submission = Submission(id: message.id, from: message.from, to: number, body: message.body, segments: SegmentCount(message.body),
                                    media: message.media)
        do {
            let receipt = try await submitRetrying(submission, via: gateway)
            attempt.message.gatewayID = receipt.gatewayID
            attempt.message.status = receipt.status
            attempt.deliveries = records(for: attempt.message, receipt: receipt, at: now)
            return attempt
        } catch {
            if let failure = error.failureRecord(messageID: message.id, gateway: gateway.name, at: now) {
                attempt.message.status = .failed
                attempt.rejection = error
                attempt.deliveries = [failure]
                if case .recipientOptedOut(let code, let text, _) = error {
                    attempt.optOut = ConsentEvent(
                        id: ULID.after(ULID(message.id), time: now).string, kind: .optedOut, time: now, number: number, method: .keyword,
                        source: "\(gateway.name) refused \(message.id) with \(code): recipient "
                            + "unsubscribed", actor: Agent.systemHandle, messageID: message.id, note: text)
                }
                return attempt
            }
            var held = intent
            if case .ambiguous = error {
                held.state = .inDoubt
                held.note = "\(gateway.name) \(error)"
                // Already in the outbox as `sending`, which is in doubt too: a failure here changes nothing.
                try? mailbox.outbox.write(held, subject: "Mark \(message.id) to \(number.e164) in doubt: \(gateway.name) gave no answer")
                throw .inDoubt("\(gateway.name) gave \(error); message \(message.id) may have been sent. "
                               + "It is in the outbox as in doubt: 'parley outbox reconcile' settles it before any resend")
            }
            if gateway.leavesMachine || scheduled {
                held.state = scheduled ? .scheduled : .sending
                try mailbox.outbox.removeOrRestore(held, restore: scheduled, note: "\(gateway.name) \(error)")
            }
            throw .gateway("\(gateway.name) \(error); nothing was sent" + (scheduled ? "; it stays in the outbox" : " and nothing was recorded"))
        }
    }

    /// The send commit: the message, its receipts, the outbox entry's removal and the verdicts as trailers.
    private func record(_ attempt: SendAttempt, _ outgoing: OutgoingMessage, verdicts: [RuleVerdict], removing outboxPath: String?,
                        via gateway: any Gateway, also mediaFiles: [String: Data?]) throws(ParleyError) -> CommitRecord? {
        let sent = attempt.message, number = sent.to
        return try store.commit { snapshot throws(ParleyError) in
            var files: [String: Data?] = mediaFiles
            files[MailboxLayout.messagePath(number, time: sent.time, id: sent.id)] = sent.fileData()
            for record in attempt.deliveries {
                files[MailboxLayout.receiptPath(number, messageID: sent.id, status: record.status)] = record.fileData()
            }
            if let outboxPath { files[outboxPath] = .some(nil) }
            if let optOut = attempt.optOut { files[MailboxLayout.consentPath(number, time: optOut.time, id: optOut.id)] = optOut.fileData() }
            if outgoing.fromDraft { files[MailboxLayout.draftPath(agent: agent.handle, number: number)] = .some(nil) }
            if var decision = outgoing.automationRecord {
                decision.message = sent.id
                files[decision.path] = decision.fileData()
            }
            let opening = try mailbox.triage.openingUseCaseEvent(number, template: outgoing.template, sending: sent, in: snapshot)
            if let event = opening { files[MailboxLayout.eventPath(number, time: event.time, id: event.id)] = event.fileData() }
            if let failure = attempt.deliveries.first(where: { mailbox.deliverability.classify($0)?.isPermanent == true }) {
                let conversation = try Conversation.load(number, from: snapshot)
                if let mark = mailbox.deliverability.unreachableEvent(number, after: failure, at: sent.time, state: conversation?.state,
                                                                      lastEventID: opening?.id ?? conversation?.events.last?.id) {
                    files[MailboxLayout.eventPath(number, time: mark.time, id: mark.id)] = mark.fileData()
                }
            }
            var trailers: [(Trailer, String)] = [
                (.number, number.e164), (.messageID, sent.id), (.line, config.line(number: sent.from).map { "\($0.name) \($0.number.e164)" } ?? sent.from.e164),
                (.gateway, gateway.name), (.receipt, sent.gatewayID ?? "none"),
                (.status, DeliveryRecord.effectiveStatus(of: attempt.deliveries, initial: sent.status).rawValue),
            ]
            if let template = sent.template { trailers.append((.template, "\(template) \(sent.templateBlob ?? "")")) }
            trailers += Self.verdictTrailers(verdicts)
            trailers += sent.overrides.map { (.override, $0.description) }
            if let reason = outgoing.resendReason { trailers.append((.resend, reason)) }
            if let approver = sent.approvedBy { trailers.append((.approvedBy, approver)) }
            if let automation = outgoing.automationRecord?.automation { trailers.append((.automation, automation)) }
            var commit = change(files, CommitMessage(
                subject: "\(attempt.rejection == nil ? "Send message to" : "Record refused message to") \(label(number, in: snapshot))",
                action: .send, trailers: trailers))
            if let key = outgoing.signingKey { commit.sign = { data in try key.sign(data) } }
            return commit
        }
    }

    /// Commits what the gateway already has. A failure here must not fail
    /// the send—the SMS is out, and a retry would send it twice—so it is
    /// returned for the command to report as a warning.
    func recordAfterSubmission(_ commit: () throws(ParleyError) -> CommitRecord?) -> (commit: CommitRecord?, problem: ParleyError?) {
        do {
            return (try commit(), nil)
        } catch {
            return (nil, error)
        }
    }

    /// The decision behind a send, as trailers (docs/FORMAT.md, "Send
    /// verdicts"): enough to replay it from the commit alone.
    static func verdictTrailers(_ verdicts: [RuleVerdict]) -> [(Trailer, String)] {
        let keys: [ComplianceRule: Trailer] = [
            .consent: .consent, .quietHours: .quietHours, .frequency: .frequency, .firstContact: .firstContact, .content: .content,
            .segments: .segments,
        ]
        var trailers: [(Trailer, String)] = [(.rules, RulesVersion.current)]
        for verdict in verdicts {
            guard let key = keys[verdict.rule], let basis = verdict.basis else { continue }
            trailers.append((key, verdict.outcome == .overridden ? basis + " (overridden)" : basis))
        }
        return trailers
    }

    /// Waits and tries again while the gateway says nothing was sent (429,
    /// 503, connection refused), honouring Retry-After up to a few seconds.
    func submitRetrying(_ submission: Submission, via gateway: any Gateway) async throws(GatewayError) -> SubmissionReceipt {
        var delays = Self.retryDelays[...]
        while true {
            do {
                return try await gateway.submit(submission)
            } catch {
                guard case .unavailable(_, let retryAfter) = error, let delay = delays.popFirst() else { throw error }
                await clock.pause(min(max(delay, retryAfter ?? 0), 5))
            }
        }
    }

    /// Pauses between attempts when the gateway is briefly unavailable.
    public static let retryDelays: [TimeInterval] = [0.25, 0.5, 1]

    static func checkBody(_ body: String, patterns: [RedactionPattern]) throws(ParleyError) {
        guard !body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw .invalidInput("the message is empty: give the text with --body, a --template or a --draft")
        }
        guard body.count <= maximumBodyLength else {
            throw .invalidInput("the message has \(body.count) characters; the limit is \(maximumBodyLength)")
        }
        if let what = SensitiveNumbers.refusal(for: body, patterns: patterns) {
            throw .invalidInput("the message contains what looks like \(what): Parley never sends one by SMS, and no override lifts this; "
                + "take it out and send again")
        }
    }

    /// A refusal worded as rule, facts and the way out.
    static func refused(_ verdict: RuleVerdict) -> ParleyError {
        .refused("refused by \(verdict.rule.rawValue): \(verdict.facts)" + (verdict.wayOut.map { "\n  way out: \($0)" } ?? "")
                 + "\n  " + nothingSentOrRecorded)
    }

    static let nothingSentOrRecorded = "nothing was sent or recorded"

    /// The delivery records a receipt yields: the submission status and
    /// every later report the gateway already knows.
    func records(for message: Message, receipt: SubmissionReceipt, at time: Date) -> [DeliveryRecord] {
        var records = [DeliveryRecord(receipt.report, messageID: message.id, gateway: message.gateway, gatewayID: receipt.gatewayID, at: time,
                                      price: receipt.price, priceUnit: receipt.priceUnit)]
        for report in receipt.laterReports where !records.contains(where: { $0.status == report.status }) {
            records.append(DeliveryRecord(report, messageID: message.id, gateway: message.gateway, gatewayID: receipt.gatewayID, at: time))
        }
        return records
    }
}
