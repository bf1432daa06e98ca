import Crypto
import Foundation
import ParleyCore

/// Telnyx's messaging webhooks (`message.received`, `message.sent`,
/// `message.finalized`), JSON posted to the URL of the messaging profile
/// (inbound) or of the message (status). A request is Telnyx's when
/// `telnyx-signature-ed25519` is a valid Ed25519 signature, under the
/// account's public key, of `telnyx-timestamp|body`, and the timestamp is
/// within five minutes of now: a captured request replayed later is refused.
public struct TelnyxWebhooks: WebhookProvider {
    public let name = "telnyx"
    public var proof: String { "an Ed25519 signature over a fresh timestamp and the body" }
    /// The raw 32-byte key (Crypto's key type is not Sendable).
    let publicKey: Data?
    let keyProblem: String?
    /// Signed timestamps are checked against it.
    let clock: ParleyClock
    static let tolerance: TimeInterval = 300

    /// `publicKey` is the base64 key from the Telnyx portal; nil or unreadable refuses every request with 503.
    public init(publicKey: String?, clock: ParleyClock) {
        self.clock = clock
        guard let publicKey else {
            (self.publicKey, keyProblem) = (nil, "Telnyx webhooks are refused: no gateway.public_key (the portal's Ed25519 public key)")
            return
        }
        if let raw = Data(base64Encoded: publicKey), raw.count == 32, (try? Curve25519.Signing.PublicKey(rawRepresentation: raw)) != nil {
            (self.publicKey, keyProblem) = (raw, nil)
        } else {
            (self.publicKey, keyProblem) = (nil, "Telnyx webhooks are refused: gateway.public_key is not a base64 Ed25519 key of 32 bytes")
        }
    }

    public var routes: [WebhookRoute] {
        [WebhookRoute([.post], "/telnyx/inbound", decode: Self.event), WebhookRoute([.post], "/telnyx/status", decode: Self.event)]
    }

    public var notConfigured: String? { keyProblem }

    public func authenticate(_ request: WebhookRequest) -> WebhookRefusal? {
        guard let publicKey, let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey) else {
            return WebhookRefusal(status: 503, keyProblem ?? "not configured")
        }
        let timestamp = request.header("telnyx-timestamp")
        if let stale = CallbackField.freshTimestamp(timestamp, now: clock.now(), tolerance: Self.tolerance, provider: "Telnyx") { return stale }
        guard let signature = request.header("telnyx-signature-ed25519").flatMap({ Data(base64Encoded: $0) }), signature.count == 64,
              key.isValidSignature(signature, for: Data((timestamp ?? "").utf8) + Data("|".utf8) + Data(request.body)) else {
            return WebhookRefusal(status: 403, "invalid telnyx-signature-ed25519", log: "refused a Telnyx webhook with a missing or wrong signature")
        }
        return nil
    }

    /// Any messaging event: an inbound message, a status report, or (other events) nothing.
    static func event(_ request: WebhookRequest, defaultRegion: String) throws(WebhookRefusal) -> IngestItem? {
        guard let envelope = JSONValue.parse(request.body) as? [String: Any], let data = envelope["data"] as? [String: Any],
              let type = JSONValue.string(data["event_type"]), let payload = data["payload"] as? [String: Any] else {
            throw WebhookRefusal(status: 400, "expected a Telnyx event: {\"data\": {\"event_type\", \"payload\"}}")
        }
        let id = try CallbackField.identifier(JSONValue.string(payload["id"]), "payload.id")
        let recipient = (payload["to"] as? [[String: Any]])?.first
        switch type {
        case "message.received":
            guard let from = CallbackField.number(JSONValue.string((payload["from"] as? [String: Any])?["phone_number"]), defaultRegion),
                  let id else { throw WebhookRefusal(status: 400, "payload.from.phone_number and payload.id are required") }
            var message = InboundMessage(from: from, to: CallbackField.number(JSONValue.string(recipient?["phone_number"]), defaultRegion),
                                         body: JSONValue.string(payload["text"]) ?? "", gateway: "telnyx", gatewayID: id)
            message.mediaReferences = ((payload["media"] as? [[String: Any]]) ?? []).prefix(10).compactMap { item in
                JSONValue.string(item["url"]).map { MediaReference(url: $0, contentType: JSONValue.string(item["content_type"])) }
            }
            return .inbound(message)
        case "message.sent", "message.finalized":
            guard let status = TelnyxStatus.normalized(JSONValue.string(recipient?["status"]) ?? "") else { return nil }
            let query = try WebhookRefusal.fields(FormEncoding.decode(request.query), reading: ["ref", "to"])
            let problem = (payload["errors"] as? [[String: Any]])?.first
            return .report(StatusReport(
                gateway: "telnyx", reference: try CallbackField.identifier(query["ref"], "ref"),
                number: CallbackField.number(query["to"] ?? JSONValue.string(recipient?["phone_number"]), defaultRegion),
                gatewayID: id, status: status, errorCode: try CallbackField.identifier(JSONValue.string(problem?["code"]), "errors[0].code"),
                errorMessage: JSONValue.string(problem?["title"]).map { String($0.prefix(200)) },
                raw: String(decoding: request.body, as: UTF8.self)))
        default:
            return nil
        }
    }
}
