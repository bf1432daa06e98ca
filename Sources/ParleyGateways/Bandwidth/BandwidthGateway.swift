import AsyncHTTPClient
import Foundation
import NIOCore
import ParleyCore

/// Bandwidth's Messaging API v2: JSON POST to
/// `/api/v2/users/{accountId}/messages` with HTTP Basic auth (API
/// credentials). Parley's id goes out as the message `tag`, which
/// Bandwidth repeats in every callback. The create call has no idempotency
/// key, and Bandwidth keeps no text and no tag in its message list, so
/// `lookup` counts the outbound messages to that number since the intent.
public struct BandwidthGateway: RESTGateway {
    public let name = "bandwidth"
    public let leavesMachine = true

    public let accountID: String
    public let applicationID: String
    let username: String
    let password: String
    let endpoints: ProviderEndpoints

    public init(accountID: String, applicationID: String, username: String, password: String,
                apiBaseURL: String = "https://messaging.bandwidth.com", timeout: TimeAmount = .seconds(15), client: HTTPClient = .shared,
                mediaLinks: MediaLinks? = nil) {
        self.accountID = accountID
        self.applicationID = applicationID
        self.username = username
        self.password = password
        endpoints = ProviderEndpoints(provider: "Bandwidth", apiBaseURL: apiBaseURL, publicBaseURL: nil, mediaLinks: mediaLinks,
                                      timeout: timeout, client: client)
    }

    var messagesURL: String { "\(endpoints.apiBaseURL)/api/v2/users/\(accountID)/messages" }
    private var authorization: (String, String) { ("Authorization", ProviderHTTP.basicAuthorization(username, password)) }

    public func submit(_ submission: Submission) async throws(GatewayError) -> SubmissionReceipt {
        var request: [String: Any] = ["applicationId": applicationID, "to": [submission.to.e164], "from": submission.from.e164,
                                      "text": submission.body, "tag": submission.id]
        let media = try MediaLinks.urls(endpoints.mediaLinks, for: submission)
        if !media.isEmpty { request["media"] = media }
        let answer = try await endpoints.http.send(.POST, messagesURL, headers: [authorization], body: JSONValue.encode(request))
        guard answer.isSuccess else { throw Self.error(answer, http: endpoints.http) }
        guard let id = JSONValue.string(answer.object?["id"]) else {
            throw .ambiguous(message: "Bandwidth answered \(answer.status) without a message id; the message may have been accepted")
        }
        return SubmissionReceipt(gatewayID: id, status: .queued, segments: JSONValue.int(answer.object?["segmentCount"]), raw: answer.body)
    }

    public func lookup(_ submission: Submission, submittedAfter: Date) async throws(GatewayError) -> LookupResult {
        let query = FormEncoding.encode([("sourceTn", submission.from.e164), ("destinationTn", submission.to.e164),
            ("messageDirection", "OUTBOUND"), ("fromDateTime", Timestamp.format(submittedAfter.addingTimeInterval(-60)))])
        let answer = try await endpoints.http.send(.GET, messagesURL + "?" + query, headers: [authorization])
        guard answer.isSuccess else { return .unknown("Bandwidth could not list messages: \(Self.error(answer, http: endpoints.http))") }
        guard let messages = answer.object?["messages"] as? [[String: Any]] else { return .unknown("Bandwidth's message list was unreadable") }
        let matches = messages.compactMap { message -> SubmissionReceipt? in
            guard let id = JSONValue.string(message["messageId"]) else { return nil }
            return SubmissionReceipt(gatewayID: id, status: BandwidthStatus.listed(JSONValue.string(message["messageStatus"]) ?? ""),
                                     segments: JSONValue.int(message["segmentCount"]), raw: JSONValue.encode(message))
        }
        return SingleMatch.result(matches, provider: "Bandwidth")
    }

    /// Lists one message: proves the credentials reach the account's messaging API without sending.
    public func checkAccount() async throws(GatewayError) -> String {
        let answer = try await endpoints.http.send(.GET, messagesURL + "?pageSize=1", headers: [authorization])
        guard answer.isSuccess else { throw Self.error(answer, http: endpoints.http) }
        return "Bandwidth account \(accountID): the messaging API answers (\(JSONValue.int(answer.object?["totalCount"]) ?? 0) messages listed)"
    }

    /// Bandwidth's `{"type", "description"}` mapped to refused, retryable or in doubt.
    static func error(_ answer: ProviderHTTP.Answer, http: ProviderHTTP) -> GatewayError {
        let object = answer.object
        let description = JSONValue.string(object?["description"]) ?? "HTTP \(answer.status)"
        return http.error(answer, code: JSONValue.string(object?["type"]), message: description,
                          credentials: "gateway.account_id, gateway.username and PARLEY_BANDWIDTH_PASSWORD")
    }
}

/// Bandwidth's callback types and listed statuses on Parley's forward-only scale.
public enum BandwidthStatus {
    /// A callback's `type`; nil for one Parley does not record.
    public static func normalized(_ type: String) -> DeliveryStatus? {
        switch type {
        case "message-sending": return .queued
        case "message-delivered": return .delivered
        case "message-failed": return .failed
        default: return nil
        }
    }

    /// A listed `messageStatus` (RECEIVED, QUEUED, SENDING, SENT, FAILED, DELIVERED, ACCEPTED, UNDELIVERED).
    static func listed(_ status: String) -> DeliveryStatus {
        switch status.uppercased() {
        case "SENT": return .sent
        case "DELIVERED": return .delivered
        case "FAILED": return .failed
        case "UNDELIVERED": return .undelivered
        default: return .queued
        }
    }
}
