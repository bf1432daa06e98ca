import Foundation
import ParleyCore

/// Twilio's inbound-message and status-callback webhooks. A request is
/// Twilio's when `X-Twilio-Signature` matches the public URL Twilio called
/// (never the Host header) and the form it posted.
public struct TwilioWebhooks: WebhookProvider {
    public let name = "twilio"
    public var proof: String { "X-Twilio-Signature over the public URL" }
    let authToken: String?
    let publicBaseURL: String?

    static let emptyTwiML = #"<?xml version="1.0" encoding="UTF-8"?><Response/>"#
    static let inboundFields: Set<String> = Set(["From", "To", "Body", "MessageSid", "SmsSid", "NumMedia"]
        + (0..<maximumMedia).flatMap { ["MediaUrl\($0)", "MediaContentType\($0)"] })
    /// Twilio delivers at most ten media per message.
    static let maximumMedia = 10
    static let statusFields: Set<String> = ["MessageStatus", "SmsStatus", "To", "MessageSid", "ErrorCode"]

    /// Nil `authToken` or `publicBaseURL` refuses every request with 503, saying what to set.
    public init(authToken: String?, publicBaseURL: String?) {
        self.authToken = authToken
        self.publicBaseURL = StatusCallback.trimmed(publicBaseURL)
    }

    public var routes: [WebhookRoute] {
        [
            WebhookRoute([.post], "/twilio/inbound", acknowledgement: WebhookResponse(status: 200, contentType: "text/xml", body: Self.emptyTwiML),
                         decode: Self.inbound),
            WebhookRoute([.post], "/twilio/status", decode: Self.status),
        ]
    }

    public var notConfigured: String? {
        let missing = [authToken == nil ? "PARLEY_TWILIO_AUTH_TOKEN" : nil, publicBaseURL == nil ? "gateway.public_base_url or --public-url" : nil]
            .compactMap { $0 }
        return missing.isEmpty ? nil : "Twilio webhooks are refused: no \(missing.joined(separator: " and no "))"
    }

    public func authenticate(_ request: WebhookRequest) -> WebhookRefusal? {
        guard let authToken, let publicBaseURL else { return WebhookRefusal(status: 503, notConfigured ?? "not configured") }
        let parameters = request.formPairs
        guard TwilioSignature.isValid(request.header("X-Twilio-Signature"), url: publicBaseURL + request.target, parameters: parameters,
                                      authToken: authToken) else {
            return WebhookRefusal(status: 403, "invalid X-Twilio-Signature", log: "refused a Twilio webhook with a missing or wrong signature")
        }
        return nil
    }

    static func inbound(_ request: WebhookRequest, defaultRegion: String) throws(WebhookRefusal) -> IngestItem? {
        let fields = try WebhookRefusal.fields(request.formPairs, reading: inboundFields)
        guard let from = PhoneNumber.fromCallback(fields["From"], defaultRegion), let sid = fields["MessageSid"] ?? fields["SmsSid"] else {
            throw WebhookRefusal(status: 400, "From and MessageSid are required")
        }
        // Signed as sent; normalised only now: a byte order mark is no part of the text.
        var body = fields["Body"] ?? ""
        if body.unicodeScalars.first == "\u{FEFF}" { body.unicodeScalars.removeFirst() }
        var message = InboundMessage(from: from, to: PhoneNumber.fromCallback(fields["To"], defaultRegion), body: body, gateway: "twilio",
                                     gatewayID: sid)
        let count = min(Int(fields["NumMedia"] ?? "0") ?? 0, maximumMedia)
        message.mediaReferences = (0..<max(0, count)).compactMap { index in
            fields["MediaUrl\(index)"].map { MediaReference(url: $0, contentType: fields["MediaContentType\(index)"]) }
        }
        return .inbound(message)
    }

    /// Twilio's media URLs (`…/Accounts/AC…/Messages/MM…/Media/ME…`) take the account's Basic auth when
    /// "HTTP Basic Authentication for media" is on; the account is the one in the URL.
    public func mediaAuthorization(for url: String) -> String? {
        guard let authToken, let path = URLComponents(string: url)?.path else { return nil }
        let parts = path.split(separator: "/")
        guard let index = parts.firstIndex(of: "Accounts"), index + 1 < parts.count, parts[index + 1].hasPrefix("AC"),
              parts.contains("Media") else { return nil }
        return ProviderHTTP.basicAuthorization(String(parts[index + 1]), authToken)
    }

    static func status(_ request: WebhookRequest, defaultRegion: String) throws(WebhookRefusal) -> IngestItem? {
        let posted = request.formPairs
        let fields = try WebhookRefusal.fields(posted, reading: statusFields)
        let query = try WebhookRefusal.fields(FormEncoding.decode(request.query), reading: ["to", "ref"])
        guard let statusText = fields["MessageStatus"] ?? fields["SmsStatus"] else { throw WebhookRefusal(status: 400, "MessageStatus is required") }
        // A status Twilio adds later is acknowledged and left out, not refused: refusing would only make Twilio retry it.
        guard let status = TwilioStatus.normalized(statusText) else { return nil }
        let errorCode = fields["ErrorCode"].flatMap { $0.isEmpty ? nil : $0 }
        if let errorCode, !isErrorCode(errorCode) { throw WebhookRefusal(status: 400, "ErrorCode must be up to 16 letters and digits") }
        return .report(StatusReport(
            gateway: "twilio", reference: query["ref"], number: PhoneNumber.fromCallback(query["to"] ?? fields["To"], defaultRegion),
            gatewayID: fields["MessageSid"], status: status, errorCode: errorCode,
            raw: FormEncoding.encode(posted)))
    }



    static func isErrorCode(_ text: String) -> Bool {
        text.count <= 16 && text.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_") }
    }
}
