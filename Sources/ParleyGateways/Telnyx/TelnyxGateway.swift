import AsyncHTTPClient
import Foundation
import NIOCore
import ParleyCore

/// Telnyx Messaging over its v2 REST API: JSON POST to `/v2/messages` with
/// a Bearer API key. Parley's message id goes out twice: as the
/// `Idempotency-Key` (Telnyx replays the first successful answer to a
/// retried request for 24 hours) and in the per-message `webhook_url`
/// (`?ref=`), which Telnyx keeps in the message detail record that
/// `lookup` searches before anything is resent.
public struct TelnyxGateway: RESTGateway {
    public let name = "telnyx"
    public let leavesMachine = true

    let apiKey: String
    public let messagingProfileID: String?
    let endpoints: ProviderEndpoints

    public init(apiKey: String, apiBaseURL: String = "https://api.telnyx.com", publicBaseURL: String?, messagingProfileID: String? = nil,
                timeout: TimeAmount = .seconds(15), client: HTTPClient = .shared, mediaLinks: MediaLinks? = nil) {
        self.apiKey = apiKey
        self.messagingProfileID = messagingProfileID
        endpoints = ProviderEndpoints(provider: "Telnyx", apiBaseURL: apiBaseURL, publicBaseURL: publicBaseURL, mediaLinks: mediaLinks,
                                      timeout: timeout, client: client)
    }

    var authorization: (String, String) { ("Authorization", "Bearer \(apiKey)") }

    public func submit(_ submission: Submission) async throws(GatewayError) -> SubmissionReceipt {
        var request: [String: Any] = ["from": submission.from.e164, "to": submission.to.e164, "text": submission.body]
        if let callback = StatusCallback.url(endpoints.publicBaseURL, provider: "telnyx", for: submission) {
            request["webhook_url"] = callback
            request["use_profile_webhooks"] = false
        }
        if let messagingProfileID { request["messaging_profile_id"] = messagingProfileID }
        let media = try MediaLinks.urls(endpoints.mediaLinks, for: submission)
        if !media.isEmpty { request["media_urls"] = media }
        let answer = try await endpoints.http.send(.POST, "\(endpoints.apiBaseURL)/v2/messages", headers: [authorization, ("Idempotency-Key", submission.id)],
                                         body: JSONValue.encode(request))
        guard answer.isSuccess else { throw Self.error(answer, http: endpoints.http) }
        guard let data = answer.object?["data"] as? [String: Any], let receipt = Self.receipt(data, raw: answer.body) else {
            throw .ambiguous(message: "Telnyx answered \(answer.status) with an unreadable body; the message may have been created")
        }
        return receipt
    }

    /// Searches the message detail records to that number since the day
    /// before the intent for one whose status webhook carries our id.
    public func lookup(_ submission: Submission, submittedAfter: Date) async throws(GatewayError) -> LookupResult {
        guard endpoints.publicBaseURL != nil else {
            return .unknown("without gateway.public_base_url no Parley id travels with Telnyx messages; check the portal's message records")
        }
        let day = String(Timestamp.format(submittedAfter.addingTimeInterval(-86_400)).prefix(10))
        let query = FormEncoding.encode([("filter[record_type]", "messaging"), ("filter[direction]", "outbound"),
            ("filter[cld]", submission.to.e164), ("filter[created_at][gte]", day), ("page[size]", "100")])
        let answer = try await endpoints.http.send(.GET, "\(endpoints.apiBaseURL)/v2/detail_records?\(query)", headers: [authorization])
        guard answer.isSuccess else { return .unknown("Telnyx could not search its records: \(Self.error(answer, http: endpoints.http))") }
        guard let records = answer.object?["data"] as? [[String: Any]] else { return .unknown("Telnyx's record search was unreadable") }
        for record in records where Self.reference(in: JSONValue.string(record["delivery_status_webhook_url"])) == submission.id {
            guard let id = JSONValue.string(record["uuid"]) ?? JSONValue.string(record["id"]) else { continue }
            return .found(SubmissionReceipt(gatewayID: id, status: TelnyxStatus.normalized(JSONValue.string(record["status"]) ?? "") ?? .queued,
                segments: JSONValue.int(record["parts"]), price: JSONValue.string(record["cost"]), priceUnit: JSONValue.string(record["currency"]),
                raw: JSONValue.encode(record)))
        }
        return .notFound
    }

    /// The account's balance.
    public func checkAccount() async throws(GatewayError) -> String {
        let answer = try await endpoints.http.send(.GET, "\(endpoints.apiBaseURL)/v2/balance", headers: [authorization])
        guard answer.isSuccess else { throw Self.error(answer, http: endpoints.http) }
        let data = answer.object?["data"] as? [String: Any]
        return "Telnyx balance \(JSONValue.string(data?["balance"]) ?? "?") \(JSONValue.string(data?["currency"]) ?? "")"
    }

    static func reference(in url: String?) -> String? {
        url.flatMap(URLComponents.init(string:))?.queryItems?.first { $0.name == "ref" }?.value
    }

    /// Telnyx's message resource as a receipt; the JSON is kept verbatim.
    static func receipt(_ data: [String: Any], raw: String) -> SubmissionReceipt? {
        guard let id = JSONValue.string(data["id"]) else { return nil }
        let recipient = (data["to"] as? [[String: Any]])?.first
        let cost = data["cost"] as? [String: Any]
        return SubmissionReceipt(gatewayID: id, status: TelnyxStatus.normalized(JSONValue.string(recipient?["status"]) ?? "") ?? .queued,
            segments: JSONValue.int(data["parts"]), price: JSONValue.string(cost?["amount"]), priceUnit: JSONValue.string(cost?["currency"]),
            raw: raw)
    }

    /// Telnyx's `{"errors": [{"code", "title", "detail"}]}` mapped to refused, retryable or in doubt.
    static func error(_ answer: ProviderHTTP.Answer, http: ProviderHTTP) -> GatewayError {
        let first = (answer.object?["errors"] as? [[String: Any]])?.first
        let code = JSONValue.string(first?["code"])
        let message = [JSONValue.string(first?["title"]), JSONValue.string(first?["detail"])].compactMap { $0 }.joined(separator: ": ")
        if (400...499).contains(answer.status), let code, TelnyxStatus.optedOutCodes.contains(code) {
            return .recipientOptedOut(code: code, message: message, raw: answer.body)
        }
        return http.error(answer, code: code, message: message.isEmpty ? "HTTP \(answer.status)" : message,
                          credentials: "PARLEY_TELNYX_API_KEY")
    }
}

/// Telnyx's per-recipient statuses on Parley's forward-only scale.
public enum TelnyxStatus {
    public static func normalized(_ status: String) -> DeliveryStatus? {
        switch status.lowercased() {
        case "queued", "sending", "scheduled": return .queued
        case "sent", "delivery_unconfirmed": return .sent
        case "delivered": return .delivered
        case "delivery_failed", "expired": return .undelivered
        case "sending_failed", "failed", "canceled": return .failed
        case "received", "webhook_delivered": return .received
        default: return nil
        }
    }

    /// 40300: "Blocked due to STOP message": the customer opted out with the carrier.
    public static let optedOutCodes: Set<String> = ["40300"]
}
