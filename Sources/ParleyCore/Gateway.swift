import Foundation

/// An SMS provider. Its adapter lives in its own folder of ParleyGateways
/// (one per provider, registered in `GatewayFactory.providers`); the Core
/// only sees this protocol.
public protocol Gateway: Sendable {
    /// Name recorded in message files and trailers, e.g. `sandbox`.
    var name: String { get }
    /// Whether a submission leaves this machine. Then Parley commits the
    /// intent before submitting, so a crash or timeout can never lead to a
    /// silent second send.
    var leavesMachine: Bool { get }
    /// Whether it can send media with a message (MMS).
    var supportsMedia: Bool { get }
    /// Submits one message. Throws `GatewayError` telling apart a refusal,
    /// a failure before anything was sent, and an ambiguous outcome.
    func submit(_ submission: Submission) async throws(GatewayError) -> SubmissionReceipt

    /// Asks the provider whether a submission whose outcome is unknown
    /// reached it, for `outbox reconcile`. Providers without a look-up
    /// answer `.unknown`; their delivery reports settle it instead.
    func lookup(_ submission: Submission, submittedAfter: Date) async throws(GatewayError) -> LookupResult

    /// One harmless authenticated call (the account, its balance) for
    /// `parley gateway check --live`: what the provider says, or why it
    /// refused. Nothing is sent.
    func checkAccount() async throws(GatewayError) -> String
}

extension Gateway {
    public var supportsMedia: Bool { false }

    public func lookup(_ submission: Submission, submittedAfter: Date) async throws(GatewayError) -> LookupResult {
        .unknown("\(name) cannot look messages up; a delivery report carrying the message's id will settle it")
    }

    public func checkAccount() async throws(GatewayError) -> String {
        "\(name) has no account to ask; nothing to check beyond the settings"
    }
}

/// What a provider says about a submission whose outcome was unknown.
public enum LookupResult: Sendable, Equatable {
    /// It has the message: it was sent, with this receipt.
    case found(SubmissionReceipt)
    /// It has no such message: it was never sent.
    case notFound
    /// It cannot tell.
    case unknown(String)
}

/// What Parley hands to a gateway.
public struct Submission: Sendable, Equatable {
    /// Parley's id for the message; passed to the provider so receipts and
    /// look-ups can be matched to it.
    public let id: String
    public let from: PhoneNumber
    public let to: PhoneNumber
    public let body: String
    public let segments: SegmentCount
    /// Media to send with it, already committed under the conversation's `media/` (the provider fetches them from `parley serve`).
    public let media: [MessageMedia]

    public init(id: String, from: PhoneNumber, to: PhoneNumber, body: String, segments: SegmentCount, media: [MessageMedia] = []) {
        self.id = id
        self.from = from
        self.to = to
        self.body = body
        self.segments = segments
        self.media = media
    }
}

/// What the provider answered a submission: its id for the message, the
/// first status (a `DeliveryReport` without a time: the moment of
/// submission), what it cost, and any later reports it already knows.
public struct SubmissionReceipt: Sendable, Equatable {
    public var gatewayID: String?
    public var report: DeliveryReport
    public var segments: Int?
    public var price: String?
    public var priceUnit: String?
    /// Further status reports already known (the sandbox simulates the
    /// carrier's later receipts), each with its time.
    public var laterReports: [DeliveryReport]

    public init(
        gatewayID: String?, status: DeliveryStatus, segments: Int? = nil, price: String? = nil, priceUnit: String? = nil,
        errorCode: String? = nil, errorMessage: String? = nil, raw: String, laterReports: [DeliveryReport] = []
    ) {
        self.gatewayID = gatewayID
        report = DeliveryReport(status: status, time: nil, errorCode: errorCode, errorMessage: errorMessage, raw: raw)
        self.segments = segments
        self.price = price
        self.priceUnit = priceUnit
        self.laterReports = laterReports
    }

    public var status: DeliveryStatus { report.status }
}

/// Why a submission did not produce a receipt.
public enum GatewayError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The provider refused the message; sending it again will not help
    /// (invalid number, unsubscribed recipient, bad sender).
    case rejected(code: String?, message: String, raw: String?)
    /// The provider refused because the recipient opted out with it
    /// (Twilio 21610): Parley records the opt-out too.
    case recipientOptedOut(code: String, message: String, raw: String?)
    /// Nothing was sent (connection refused, 429, 503); a retry may work.
    case unavailable(message: String, retryAfter: TimeInterval?)
    /// The request may have reached the provider but no answer came back:
    /// the message may or may not go out.
    case ambiguous(message: String)
    /// The gateway is not configured well enough to try.
    case misconfigured(String)

    public var description: String {
        switch self {
        case .rejected(let code, let message, _):
            return code.map { "rejected (\($0)): \(message)" } ?? "rejected: \(message)"
        case .recipientOptedOut(let code, let message, _): return "refused (\(code)): \(message); the recipient opted out with the carrier"
        case .unavailable(let message, _): return "unavailable: \(message)"
        case .ambiguous(let message): return "no answer, outcome unknown: \(message)"
        case .misconfigured(let message): return "not configured: \(message)"
        }
    }

    /// The failed delivery record a refusal leaves; nil for every error
    /// after which nothing left or the outcome is unknown.
    public func failureRecord(messageID: String, gateway: String, at time: Date) -> DeliveryRecord? {
        let refusal: (code: String?, message: String, raw: String?)
        switch self {
        case .rejected(let code, let message, let raw): refusal = (code, message, raw)
        case .recipientOptedOut(let code, let message, let raw): refusal = (code, message, raw)
        default: return nil
        }
        return DeliveryRecord(DeliveryReport(status: .failed, errorCode: refusal.code, errorMessage: refusal.message, raw: refusal.raw),
                              messageID: messageID, gateway: gateway, gatewayID: nil, at: time)
    }
}
