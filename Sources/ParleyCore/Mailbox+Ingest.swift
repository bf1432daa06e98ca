import Foundation

/// An inbound message as a gateway delivered it.
public struct InboundMessage: Sendable, Equatable {
    public var from: PhoneNumber
    public var to: PhoneNumber?
    public var body: String
    public var gateway: String
    /// The provider's id, which makes ingest idempotent.
    public var gatewayID: String?
    public var time: Date?

    public init(from: PhoneNumber, to: PhoneNumber?, body: String, gateway: String, gatewayID: String?, time: Date? = nil) {
        self.from = from
        self.to = to
        self.body = body
        self.gateway = gateway
        self.gatewayID = gatewayID
        self.time = time
    }
}

/// A delivery report (status callback, DLR) about an outbound message.
public struct StatusReport: Sendable, Equatable {
    public var gateway: String
    /// Parley's message id, passed to the provider with the submission.
    public var reference: String?
    /// The customer's number, which locates the conversation.
    public var number: PhoneNumber?
    public var gatewayID: String?
    public var status: DeliveryStatus
    public var time: Date?
    public var errorCode: String?
    public var errorMessage: String?
    /// The callback exactly as received.
    public var raw: String

    public init(gateway: String, reference: String?, number: PhoneNumber?, gatewayID: String?, status: DeliveryStatus,
                time: Date? = nil, errorCode: String? = nil, errorMessage: String? = nil, raw: String) {
        self.gateway = gateway
        self.reference = reference
        self.number = number
        self.gatewayID = gatewayID
        self.status = status
        self.time = time
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.raw = raw
    }
}

public enum IngestItem: Sendable, Equatable {
    case inbound(InboundMessage)
    case report(StatusReport)
}

public enum IngestOutcome: Sendable {
    /// A new inbound message, with its keyword's consent change.
    case stored(Message, keyword: KeywordClassifier.Kind?, consentChange: ConsentEvent?)
    /// Already stored: a retried webhook.
    case duplicate(String)
    /// A delivery report recorded for a known message.
    case recorded(messageID: String, status: DeliveryStatus)
    /// A report for a message that was in doubt: it was sent after all, and is now recorded.
    case settledInDoubt(messageID: String, status: DeliveryStatus)
    /// A report for no message Parley knows: kept under unmatched-receipts/.
    case unmatched(key: String, status: DeliveryStatus)
    /// This report was stored before.
    case alreadyRecorded(messageID: String, status: DeliveryStatus)
    /// The item itself is unusable; nothing was written for it.
    case rejected(ParleyError)
}

extension Mailbox {
    /// Stores a batch of inbound messages and delivery reports as ONE
    /// commit (the webhook server's group commit): each item sees the ones
    /// before it, duplicates commit nothing, and an unusable item is
    /// rejected without holding up the rest.
    public func ingest(_ items: [IngestItem]) throws(ParleyError) -> (CommitRecord?, [IngestOutcome]) {
        let now = clock.now()
        var outcomes: [IngestOutcome] = []
        let commit = try store.commit { snapshot throws(ParleyError) in
            var overlay = OverlaySnapshot(base: snapshot)
            var trailers: [(String, String)] = []
            var subjects: [String] = []
            outcomes = []
            for item in items {
                do throws(ParleyError) {
                    let outcome: IngestOutcome
                    switch item {
                    case .inbound(let message):
                        outcome = try apply(message, now: now, to: &overlay)
                        if case .stored(let stored, _, let change) = outcome {
                            subjects.append("Receive message from \(label(stored.from, in: overlay))" + (change.map { "; " + Self.describe($0, who: "them").lowercased() } ?? ""))
                            trailers += [("Parley-Number", stored.from.e164), ("Parley-Message-Id", stored.id)]
                            if let change { trailers.append(("Parley-Consent", change.kind.rawValue)) }
                        }
                    case .report(let report):
                        outcome = try apply(report, now: now, to: &overlay)
                        switch outcome {
                        case .recorded(let id, let status), .settledInDoubt(let id, let status):
                            subjects.append("Record \(status.rawValue) for \(id)")
                            trailers += [("Parley-Message-Id", id), ("Parley-Status", status.rawValue)]
                        case .unmatched(let key, let status):
                            subjects.append("Keep an unmatched \(status.rawValue) report (\(key))")
                        default: break
                        }
                    }
                    outcomes.append(outcome)
                } catch {
                    outcomes.append(.rejected(error))
                }
            }
            guard !overlay.pending.isEmpty else { return nil }
            let subject = subjects.count == 1 ? subjects[0] : "Receive \(subjects.count) messages and reports"
            return change(overlay.pending, CommitMessage(
                subject: subject, body: subjects.count > 1 ? subjects.map { "- " + $0 }.joined(separator: "\n") : nil,
                trailers: [("Parley-Action", Self.action(for: items))] + trailers + items.compactMap { item in
                    if case .inbound(let message) = item { return ("Parley-Gateway", message.gateway) }
                    return nil
                }.prefix(1)))
        }
        if commit == nil {
            outcomes = outcomes.map { outcome in
                if case .stored(let message, _, _) = outcome { return .duplicate(message.id) }
                return outcome
            }
        }
        return (commit, outcomes)
    }

    private func apply(_ inbound: InboundMessage, now: Date, to overlay: inout OverlaySnapshot) throws(ParleyError) -> IngestOutcome {
        let number = inbound.from
        let time = try Self.recordTime(inbound.time, now: now)
        let id: String
        if let gatewayID = inbound.gatewayID {
            id = try MessageID.validated(gatewayID)
        } else {
            id = try nextMessageID(with: number, in: overlay, at: time)
        }
        guard inbound.body.count <= Self.maximumBodyLength * 4 else {
            throw .invalidInput("the message has \(inbound.body.count) characters; inbound messages over \(Self.maximumBodyLength * 4) are refused")
        }
        if try Self.storedMessage(id: id, of: number, in: overlay) { return .duplicate(id) }
        let segments = SegmentCount(inbound.body)
        let message = Message(
            id: id, direction: .inbound, time: time, from: number, to: inbound.to ?? config.businessNumber, agent: nil,
            gateway: inbound.gateway, gatewayID: inbound.gatewayID, status: .received, segments: segments.segments,
            encoding: segments.encoding.rawValue, body: inbound.body)
        let keyword = KeywordClassifier(extraRevocationPhrases: config.compliance.revocationPhrases).classify(inbound.body)
        let ledger = try Conversation.consentEvents(of: number, in: overlay)
        let consentChange = Self.consentChange(for: keyword, state: ConsentState.fold(ledger), number: number, message: message,
                                               id: ULID.after(ledger.compactMap { ULID($0.id) }.max(), time: time).string)
        overlay.pending[MailboxLayout.messagePath(number, time: time, id: id)] = message.fileData()
        if let event = consentChange { overlay.pending[MailboxLayout.consentPath(number, time: event.time, id: event.id)] = event.fileData() }
        return .stored(message, keyword: keyword, consentChange: consentChange)
    }

    private func apply(_ report: StatusReport, now: Date, to overlay: inout OverlaySnapshot) throws(ParleyError) -> IngestOutcome {
        let time = try Self.recordTime(report.time, now: now)
        let reference = try report.reference.map { id throws(ParleyError) in try MessageID.validated(id) }
        if let reference, let number = report.number {
            let record = DeliveryRecord(messageID: reference, status: report.status, time: time, gateway: report.gateway, gatewayID: report.gatewayID,
                                        errorCode: report.errorCode, errorMessage: report.errorMessage, raw: report.raw)
            let receipt = MailboxLayout.receiptPath(number, messageID: reference, status: report.status)
            if try Self.storedMessage(id: reference, of: number, in: overlay) {
                if try overlay.read(receipt) != nil { return .alreadyRecorded(messageID: reference, status: report.status) }
                overlay.pending[receipt] = record.fileData()
                return .recorded(messageID: reference, status: report.status)
            }
            if let entry = try outboxEntry(reference, in: overlay), entry.state != .scheduled {
                // The gateway had it after all: record the message the entry describes, and the report.
                let segments = SegmentCount(entry.body)
                let message = Message(
                    id: entry.id, direction: .outbound, time: entry.created, from: config.businessNumber, to: entry.to, agent: entry.agent,
                    gateway: report.gateway, gatewayID: report.gatewayID, status: .queued, segments: segments.segments,
                    encoding: segments.encoding.rawValue, template: entry.template, templateBlob: entry.templateBlob,
                    overrides: entry.overrides, body: entry.body)
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
        let path = "\(MailboxLayout.unmatchedReceiptsDirectory)/\(report.gateway)/\(key).\(report.status.rawValue).yaml"
        if try overlay.read(path) != nil { return .alreadyRecorded(messageID: key, status: report.status) }
        var record = DeliveryRecord(messageID: key, status: report.status, time: time, gateway: report.gateway, gatewayID: report.gatewayID,
                                    errorCode: report.errorCode, errorMessage: report.errorMessage, raw: report.raw)
        if let number = report.number { record.errorMessage = (record.errorMessage.map { $0 + "; " } ?? "") + "for \(number.e164)" }
        overlay.pending[path] = record.fileData()
        return .unmatched(key: key, status: report.status)
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

    static func action(for items: [IngestItem]) -> String {
        let inbound = items.filter { if case .inbound = $0 { return true } else { return false } }.count
        if inbound == items.count { return "receive" }
        return inbound == 0 ? "report" : "ingest"
    }

    /// The outbox entry with this id, if any.
    func outboxEntry(_ id: String, in snapshot: any StoreSnapshot) throws(ParleyError) -> OutboxEntry? {
        guard let item = try snapshot.list(MailboxLayout.outboxDirectory)?.first(where: { $0.name.hasSuffix("-\(id).md") }) else { return nil }
        let path = MailboxLayout.outboxDirectory + "/" + item.name
        return try snapshot.read(path).map { data throws(ParleyError) in try OutboxEntry.parse(data, path: path) }
    }
}
