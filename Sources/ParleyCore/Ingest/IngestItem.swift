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
    /// Media the provider announced, to be fetched by the server before the message is stored.
    public var mediaReferences: [MediaReference] = []
    /// Media fetched (or skipped, with why): stored with the message.
    public var media: [InboundMedia] = []

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
    /// What the provider said; its raw text is the callback exactly as received.
    public var report: DeliveryReport

    public init(gateway: String, reference: String?, number: PhoneNumber?, gatewayID: String?, status: DeliveryStatus,
                time: Date? = nil, errorCode: String? = nil, errorMessage: String? = nil, raw: String) {
        self.gateway = gateway
        self.reference = reference
        self.number = number
        self.gatewayID = gatewayID
        report = DeliveryReport(status: status, time: time, errorCode: errorCode, errorMessage: errorMessage, raw: raw)
    }

    public var status: DeliveryStatus { report.status }
}

/// What became of an automatic reply ingest planned, for the next ingest
/// commit to record.
public struct ReplyAttempt: Sendable, Equatable {
    public enum Result: Sendable, Equatable {
        /// The gateway took it.
        case submitted(SubmissionReceipt)
        /// The gateway refused it: recorded as a failed message.
        case refused(GatewayError)
        /// Nothing left the machine (the gateway was unavailable): the plan is dropped.
        case notSent(String)
        /// The gateway gave no answer: the entry stays, in doubt, for `outbox reconcile`.
        case inDoubt(String)
    }

    public let entry: OutboxEntry
    public let gateway: String
    public let time: Date
    public let result: Result

    public init(entry: OutboxEntry, gateway: String, time: Date, result: Result) {
        self.entry = entry
        self.gateway = gateway
        self.time = time
        self.result = result
    }
}

public enum IngestItem: Sendable, Equatable {
    case inbound(InboundMessage)
    case report(StatusReport)
    case reply(ReplyAttempt)
}

public enum IngestOutcome: Sendable {
    /// A new inbound message, with its keyword's consent change and the
    /// automatic reply planned in the same commit.
    case stored(Message, keyword: KeywordClassifier.Kind?, consentChange: ConsentEvent?, reply: OutboxEntry?)
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
    /// An automatic reply's outcome, recorded: the message, or why it stayed in the outbox or was dropped.
    case replied(Message?, ReplyAttempt)
    /// The item itself is unusable; nothing was written for it.
    case rejected(ParleyError)

    /// One line for the server's log.
    public var summary: String {
        switch self {
        case .stored(let message, _, _, let reply): return "stored \(message.id)" + (reply.map { "; reply \($0.id) planned" } ?? "")
        case .duplicate(let id): return "duplicate \(id)"
        case .recorded(let id, let status): return "\(status.rawValue) for \(id)"
        case .settledInDoubt(let id, let status): return "settled in-doubt \(id) as \(status.rawValue)"
        case .unmatched(let key, let status): return "unmatched \(status.rawValue) for \(key)"
        case .alreadyRecorded(let id, let status): return "already had \(status.rawValue) for \(id)"
        case .replied(let message,
            let attempt): return "reply \(attempt.entry.id) " + (message.map { "recorded as \($0.status.rawValue)" } ?? "not sent")
        case .rejected(let error): return "rejected: \(error)"
        }
    }
}
