import AsyncHTTPClient
import Foundation
import NIOCore
import ParleyCore

/// Plivo Messaging over its REST API: JSON POST to
/// `/v1/Account/{auth_id}/Message/` with HTTP Basic auth (auth id and
/// token). Plivo's create call has no idempotency key; Parley's id travels
/// in the status callback URL (`url`, `?ref=`), and `lookup` lists the
/// account's outbound messages to that number before anything is resent.
public struct PlivoGateway: RESTGateway {
    public let name = "plivo"
    public let leavesMachine = true

    public let authID: String
    let authToken: String
    let endpoints: ProviderEndpoints

    public init(authID: String, authToken: String, apiBaseURL: String = "https://api.plivo.com", publicBaseURL: String?,
                timeout: TimeAmount = .seconds(15), client: HTTPClient = .shared, mediaLinks: MediaLinks? = nil) {
        self.authID = authID
        self.authToken = authToken
        endpoints = ProviderEndpoints(provider: "Plivo", apiBaseURL: apiBaseURL, publicBaseURL: publicBaseURL, mediaLinks: mediaLinks,
                                      timeout: timeout, client: client)
    }

    var messagesURL: String { "\(endpoints.apiBaseURL)/v1/Account/\(authID)/Message/" }
    private var authorization: (String, String) { ("Authorization", ProviderHTTP.basicAuthorization(authID, authToken)) }

    public func submit(_ submission: Submission) async throws(GatewayError) -> SubmissionReceipt {
        var request: [String: Any] = ["src": submission.from.e164, "dst": submission.to.e164, "text": submission.body, "type": "sms"]
        if let callback = StatusCallback.url(endpoints.publicBaseURL, provider: "plivo", for: submission) {
            request["url"] = callback
            request["method"] = "POST"
        }
        let media = try MediaLinks.urls(endpoints.mediaLinks, for: submission)
        if !media.isEmpty { (request["type"], request["media_urls"]) = ("mms", media) }
        let answer = try await endpoints.http.send(.POST, messagesURL, headers: [authorization], body: JSONValue.encode(request))
        guard answer.isSuccess else { throw Self.error(answer, http: endpoints.http) }
        guard let uuid = (answer.object?["message_uuid"] as? [Any])?.first.flatMap(JSONValue.string) else {
            throw .ambiguous(message: "Plivo answered \(answer.status) without a message_uuid; the message may have been queued")
        }
        return SubmissionReceipt(gatewayID: uuid, status: .queued, raw: answer.body)
    }

    public func lookup(_ submission: Submission, submittedAfter: Date) async throws(GatewayError) -> LookupResult {
        let since = Timestamp.format(submittedAfter.addingTimeInterval(-60)).prefix(19).replacingOccurrences(of: "T", with: " ")
        let query = FormEncoding.encode([("message_direction", "outbound"), ("message_time__gte", since), ("limit", "20")])
        let answer = try await endpoints.http.send(.GET, messagesURL + "?" + query, headers: [authorization])
        guard answer.isSuccess else { return .unknown("Plivo could not list messages: \(Self.error(answer, http: endpoints.http))") }
        guard let objects = answer.object?["objects"] as? [[String: Any]] else { return .unknown("Plivo's message list was unreadable") }
        let digits = { (number: PhoneNumber) in number.e164.filter(\.isASCIIDigitCharacter) }
        let matches = objects.filter {
            JSONValue.string($0["to_number"])?.filter(\.isASCIIDigitCharacter) == digits(submission.to)
                && JSONValue.string($0["from_number"])?.filter(\.isASCIIDigitCharacter) == digits(submission.from)
        }.compactMap { object -> SubmissionReceipt? in
            guard let uuid = JSONValue.string(object["message_uuid"]) else { return nil }
            return SubmissionReceipt(gatewayID: uuid, status: PlivoStatus.normalized(JSONValue.string(object["message_state"]) ?? "") ?? .queued,
                segments: JSONValue.int(object["units"]), price: JSONValue.string(object["total_amount"]), raw: JSONValue.encode(object))
        }
        return SingleMatch.result(matches, provider: "Plivo")
    }

    /// The account resource: its name and cash credits.
    public func checkAccount() async throws(GatewayError) -> String {
        let answer = try await endpoints.http.send(.GET, "\(endpoints.apiBaseURL)/v1/Account/\(authID)/", headers: [authorization])
        guard answer.isSuccess else { throw Self.error(answer, http: endpoints.http) }
        let name = JSONValue.string(answer.object?["name"]) ?? authID
        return "Plivo account \(name), credits \(JSONValue.string(answer.object?["cash_credits"]) ?? "?")"
    }

    /// Plivo's `{"api_id", "error"}` mapped to refused, retryable or in doubt.
    static func error(_ answer: ProviderHTTP.Answer, http: ProviderHTTP) -> GatewayError {
        let message = JSONValue.string(answer.object?["error"]) ?? "HTTP \(answer.status)"
        return http.error(answer, code: nil, message: message, credentials: "gateway.auth_id and PARLEY_PLIVO_AUTH_TOKEN")
    }
}

/// Plivo's message states on Parley's forward-only scale.
public enum PlivoStatus {
    public static func normalized(_ status: String) -> DeliveryStatus? {
        switch status.lowercased() {
        case "queued": return .queued
        case "sent": return .sent
        case "delivered", "read": return .delivered
        case "undelivered": return .undelivered
        case "failed", "rejected": return .failed
        case "received": return .received
        default: return nil
        }
    }
}
