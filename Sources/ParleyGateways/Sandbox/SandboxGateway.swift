import Crypto
import Foundation
import ParleyCore

/// The embedded default gateway: an in-process carrier simulator, so every
/// flow works offline. It answers like a provider would—an id, a queued
/// status, segment count and price—then reports `sent` and `delivered` a
/// few simulated seconds later. Numbers ending in 555-0194…0199 (inside
/// the 555-01XX range reserved for fiction) fail in documented ways so
/// failure paths can be shown and tested; see docs/GATEWAYS.md.
public struct SandboxGateway: Gateway {
    /// The reserved endings and what the sandbox does for each.
    public enum Behaviour: String, CaseIterable, Sendable {
        case deliver
        case unreachable = "5550199"
        case unknownHandset = "5550198"
        case invalidNumber = "5550197"
        case notMobile = "5550196"
        case noAnswer = "5550195"
        case rateLimited = "5550194"
        case filtered = "5550193"

        public static func of(_ number: PhoneNumber) -> Behaviour {
            allCases.first { $0 != .deliver && number.e164.hasSuffix($0.rawValue) } ?? .deliver
        }
    }

    /// Simulated price per segment, in US dollars.
    public static let pricePerSegment = Decimal(string: "0.0079")!

    public let name = "sandbox"
    public let leavesMachine = false
    /// The simulated carrier takes media too: nothing is fetched, the files are committed with the message.
    public let supportsMedia = true
    /// Delivery reports are timed from this clock, so `PARLEY_NOW` pins them too.
    let clock: ParleyClock

    public init(clock: ParleyClock = .system) { self.clock = clock }

    public func submit(_ submission: Submission) async throws(GatewayError) -> SubmissionReceipt {
        let behaviour = Behaviour.of(submission.to)
        let id = Self.gatewayID(for: submission.id)
        switch behaviour {
        case .invalidNumber:
            throw .rejected(code: "21211", message: "The 'To' number \(submission.to.e164) is not a valid phone number",
                            raw: Self.errorJSON(code: 21211, message: "The 'To' number is not a valid phone number.", status: 400))
        case .notMobile:
            throw .rejected(code: "21614", message: "\(submission.to.e164) is not a mobile number",
                            raw: Self.errorJSON(code: 21614, message: "'To' number is not a valid mobile number", status: 400))
        case .noAnswer:
            throw .ambiguous(message: "the sandbox accepted the request and then went silent (simulated timeout)")
        case .rateLimited:
            throw .unavailable(message: "429 Too Many Requests (simulated); nothing was sent", retryAfter: 1)
        case .deliver, .unreachable, .unknownHandset, .filtered:
            break
        }
        let now = clock.now()
        let segments = submission.segments.segments
        let price = "-" + NSDecimalNumber(decimal: Self.pricePerSegment * Decimal(segments)).stringValue
        var reports = [DeliveryReport(status: .sent, time: now.addingTimeInterval(1), raw: Self.callbackJSON(id, "sent", nil))]
        switch behaviour {
        case .unreachable:
            reports.append(DeliveryReport(status: .undelivered, time: now.addingTimeInterval(3), errorCode: "30003",
                                          errorMessage: "Unreachable destination handset", raw: Self.callbackJSON(id, "undelivered", 30003)))
        case .unknownHandset:
            reports.append(DeliveryReport(status: .undelivered, time: now.addingTimeInterval(3), errorCode: "30005",
                                          errorMessage: "Unknown destination handset", raw: Self.callbackJSON(id, "undelivered", 30005)))
        case .filtered:
            reports.append(DeliveryReport(status: .undelivered, time: now.addingTimeInterval(3), errorCode: "30007",
                                          errorMessage: "Message filtered by the carrier", raw: Self.callbackJSON(id, "undelivered", 30007)))
        default:
            reports.append(DeliveryReport(status: .delivered, time: now.addingTimeInterval(3), raw: Self.callbackJSON(id, "delivered", nil)))
        }
        return SubmissionReceipt(
            gatewayID: id, status: .queued, segments: segments, price: price, priceUnit: "USD",
            raw: Self.json([
                "sid": id, "status": "queued", "to": submission.to.e164, "from": submission.from.e164,
                "num_segments": String(segments), "price": price, "price_unit": "USD", "reference": submission.id,
            ]),
            laterReports: reports)
    }

    /// `SBX` and 29 hex digits derived from Parley's id: stable, so the
    /// same submission always gets the same provider id.
    public static func gatewayID(for messageID: String) -> String {
        let digest = SHA256.hash(data: Data(messageID.utf8))
        return "SBX" + digest.hexString.prefix(29)
    }

    private static func callbackJSON(_ id: String, _ status: String, _ error: Int?) -> String {
        var fields = ["MessageSid": id, "MessageStatus": status]
        if let error { fields["ErrorCode"] = String(error) }
        return json(fields)
    }

    private static func errorJSON(code: Int, message: String, status: Int) -> String {
        json(["code": String(code), "message": message, "status": String(status)])
    }

    private static func json(_ fields: [String: String]) -> String {
        let data = try! JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}
