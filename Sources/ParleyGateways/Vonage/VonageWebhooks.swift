import Foundation
import ParleyCore

/// Vonage SMS API webhooks: inbound messages and delivery receipts, as a
/// query (GET), a form or a flat JSON object (POST), whichever the
/// dashboard's webhook format says. A request is Vonage's when its `sig`
/// matches the other parameters under the signature secret, and its signed
/// `timestamp` is within five minutes of now.
public struct VonageWebhooks: WebhookProvider {
    public let name = "vonage"
    public var proof: String { "signed parameters with a fresh timestamp" }
    let signatureSecret: String?
    let method: VonageSignature.Method?
    /// Signed timestamps are checked against it.
    let clock: ParleyClock
    static let tolerance: TimeInterval = 300

    public init(signatureSecret: String?, method: String?, clock: ParleyClock) {
        self.signatureSecret = signatureSecret
        self.method = VonageSignature.Method(rawValue: (method ?? "sha256").lowercased())
        self.clock = clock
    }

    public var routes: [WebhookRoute] {
        [WebhookRoute([.get, .post], "/vonage/inbound", decode: Self.inbound), WebhookRoute([.get, .post], "/vonage/status", decode: Self.receipt)]
    }

    public var notConfigured: String? {
        if signatureSecret == nil { return "Vonage webhooks are refused: no PARLEY_VONAGE_SIGNATURE_SECRET (signed webhooks must be enabled)" }
        if method == nil {
            return "Vonage webhooks are refused: gateway.signature_method must be one of "
                + VonageSignature.Method.allCases.map(\.rawValue).joined(separator: ", ") + " (an HMAC; the plain MD5 hash is not accepted)"
        }
        return nil
    }

    public func authenticate(_ request: WebhookRequest) -> WebhookRefusal? {
        guard let signatureSecret, let method else { return WebhookRefusal(status: 503, notConfigured ?? "not configured") }
        guard let parameters = Self.parameters(request) else { return WebhookRefusal(status: 400, "expected a query, a form or a flat JSON object") }
        if let stale = CallbackField.freshTimestamp(parameters.first(where: { $0.0 == "timestamp" })?.1, now: clock.now(), tolerance: Self.tolerance,
                                                    provider: "Vonage") { return stale }
        guard VonageSignature.isValid(parameters, secret: signatureSecret, method: method) else {
            return WebhookRefusal(status: 403, "invalid sig", log: "refused a Vonage webhook with a missing or wrong signature")
        }
        return nil
    }

    /// The signed parameters: the query of a GET, or the posted form or flat JSON object (strings and numbers only).
    static func parameters(_ request: WebhookRequest) -> [(String, String)]? {
        if request.method == .get { return FormEncoding.decode(request.query) }
        let text = String(decoding: request.body, as: UTF8.self)
        guard text.first == "{" else { return FormEncoding.decode(text) }
        guard let object = JSONValue.object(text) else { return nil }
        var pairs: [(String, String)] = []
        for (name, value) in object {
            guard let string = JSONValue.string(value) else { return nil }
            pairs.append((name, string))
        }
        return pairs
    }

    static func fields(_ request: WebhookRequest, _ names: Set<String>) throws(WebhookRefusal) -> [String: String] {
        guard let pairs = parameters(request) else { throw WebhookRefusal(status: 400, "unreadable parameters") }
        return try WebhookRefusal.fields(pairs, reading: names)
    }

    static func inbound(_ request: WebhookRequest, defaultRegion: String) throws(WebhookRefusal) -> IngestItem? {
        try CallbackField.inbound(fields(request, ["msisdn", "to", "text", "messageId", "type"]), from: "msisdn", to: "to", text: "text",
                                  id: "messageId", gateway: "vonage", defaultRegion: defaultRegion)
    }

    static func receipt(_ request: WebhookRequest, defaultRegion: String) throws(WebhookRefusal) -> IngestItem? {
        let fields = try fields(request, ["msisdn", "messageId", "status", "err-code", "client-ref"])
        let query = try WebhookRefusal.fields(FormEncoding.decode(request.query), reading: ["ref"])
        guard let text = fields["status"] else { throw WebhookRefusal(status: 400, "status is required") }
        guard let status = VonageStatus.normalized(text) else { return nil }
        let code = try CallbackField.identifier(fields["err-code"], "err-code").flatMap { $0 == "0" ? nil : $0 }
        return .report(StatusReport(gateway: "vonage", reference: try CallbackField.identifier(fields["client-ref"] ?? query["ref"], "client-ref"),
            number: CallbackField.number(fields["msisdn"], defaultRegion), gatewayID: try CallbackField.identifier(fields["messageId"], "messageId"),
            status: status, errorCode: code, raw: FormEncoding.encode(parameters(request) ?? [])))
    }
}
