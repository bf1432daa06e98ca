import Foundation
import ParleyCore

/// Plivo's inbound-message and delivery-status callbacks (form posts). A
/// request is Plivo's when one of the signatures in `X-Plivo-Signature-V3`
/// matches the public URL Plivo called, the posted form and the request's
/// own `X-Plivo-Signature-V3-Nonce`.
public struct PlivoWebhooks: WebhookProvider {
    public let name = "plivo"
    public var proof: String { "the X-Plivo-Signature-V3 signature over the public URL and nonce" }
    let authToken: String?
    let publicBaseURL: String?

    static let inboundFields: Set<String> = ["From", "To", "Text", "MessageUUID", "Type"]
    static let statusFields: Set<String> = ["Status", "MessageUUID", "To", "ErrorCode"]

    public init(authToken: String?, publicBaseURL: String?) {
        self.authToken = authToken
        self.publicBaseURL = StatusCallback.trimmed(publicBaseURL)
    }

    public var routes: [WebhookRoute] {
        [WebhookRoute([.post], "/plivo/inbound", decode: Self.inbound), WebhookRoute([.post], "/plivo/status", decode: Self.status)]
    }

    public var notConfigured: String? {
        let missing = [authToken == nil ? "PARLEY_PLIVO_AUTH_TOKEN" : nil, publicBaseURL == nil ? "gateway.public_base_url or --public-url" : nil]
            .compactMap { $0 }
        return missing.isEmpty ? nil : "Plivo webhooks are refused: no \(missing.joined(separator: " and no "))"
    }

    public func authenticate(_ request: WebhookRequest) -> WebhookRefusal? {
        guard let authToken, let publicBaseURL else { return WebhookRefusal(status: 503, notConfigured ?? "not configured") }
        guard PlivoSignature.isValid(request.header("X-Plivo-Signature-V3"), method: request.method.rawValue, url: publicBaseURL + request.target,
                                     parameters: request.formPairs, nonce: request.header("X-Plivo-Signature-V3-Nonce"),
                                     authToken: authToken) else {
            return WebhookRefusal(status: 403, "invalid X-Plivo-Signature-V3", log: "refused a Plivo webhook with a missing or wrong signature")
        }
        return nil
    }

    static func inbound(_ request: WebhookRequest, defaultRegion: String) throws(WebhookRefusal) -> IngestItem? {
        try CallbackField.inbound(WebhookRefusal.fields(request.formPairs, reading: inboundFields), from: "From", to: "To", text: "Text",
                                  id: "MessageUUID", gateway: "plivo", defaultRegion: defaultRegion)
    }

    static func status(_ request: WebhookRequest, defaultRegion: String) throws(WebhookRefusal) -> IngestItem? {
        let posted = request.formPairs
        let fields = try WebhookRefusal.fields(posted, reading: statusFields)
        let query = try WebhookRefusal.fields(FormEncoding.decode(request.query), reading: ["ref", "to"])
        guard let text = fields["Status"] else { throw WebhookRefusal(status: 400, "Status is required") }
        guard let status = PlivoStatus.normalized(text) else { return nil }
        // Plivo reports 000 for no error.
        let code = try CallbackField.identifier(fields["ErrorCode"], "ErrorCode").flatMap { $0.allSatisfy { $0 == "0" } ? nil : $0 }
        return .report(StatusReport(gateway: "plivo", reference: try CallbackField.identifier(query["ref"], "ref"),
            number: CallbackField.number(query["to"] ?? fields["To"], defaultRegion),
            gatewayID: try CallbackField.identifier(fields["MessageUUID"], "MessageUUID"), status: status, errorCode: code,
            raw: FormEncoding.encode(posted)))
    }


}
