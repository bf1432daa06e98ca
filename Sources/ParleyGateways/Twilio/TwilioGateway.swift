import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import ParleyCore

/// Twilio Programmable Messaging over its REST API: form-encoded POST to
/// `/2010-04-01/Accounts/{Sid}/Messages.json` with HTTP Basic auth. Parley's
/// message id travels in the status callback URL (`?ref=`), because the
/// create call has no idempotency key: a timeout there is in doubt, and
/// `lookup` searches the account's messages before anything is resent.
public struct TwilioGateway: RESTGateway {
    public let name = "twilio"
    public let leavesMachine = true

    public let accountSID: String
    let authToken: String
    let endpoints: ProviderEndpoints
    /// Lookup v2 lives on its own host; with another API base (a proxy, a test double) it is asked there too.
    let lookupBaseURL: String

    public init(accountSID: String, authToken: String, apiBaseURL: String = "https://api.twilio.com", publicBaseURL: String?,
                timeout: TimeAmount = .seconds(15), client: HTTPClient = .shared, mediaLinks: MediaLinks? = nil,
                lookupBaseURL: String? = nil) {
        self.accountSID = accountSID
        self.authToken = authToken
        self.lookupBaseURL = lookupBaseURL ?? (apiBaseURL == "https://api.twilio.com" ? "https://lookups.twilio.com" : apiBaseURL)
        endpoints = ProviderEndpoints(provider: "Twilio", apiBaseURL: apiBaseURL, publicBaseURL: publicBaseURL, mediaLinks: mediaLinks,
                                      timeout: timeout, client: client)
    }

    var messagesURL: String { "\(endpoints.apiBaseURL)/2010-04-01/Accounts/\(accountSID)/Messages.json" }

    /// The status callback for a message: our id and the number, so the
    /// report finds its conversation without a search.
    public func statusCallback(for submission: Submission) -> String? {
        StatusCallback.url(endpoints.publicBaseURL, provider: "twilio", for: submission)
    }

    public func submit(_ submission: Submission) async throws(GatewayError) -> SubmissionReceipt {
        var form = [("To", submission.to.e164), ("From", submission.from.e164), ("Body", submission.body)]
        if let callback = statusCallback(for: submission) { form.append(("StatusCallback", callback)) }
        form += try MediaLinks.urls(endpoints.mediaLinks, for: submission).map { ("MediaUrl", $0) }
        let answer = try await endpoints.http.send(.POST, messagesURL, headers: [authorization], body: FormEncoding.encode(form),
                                         contentType: "application/x-www-form-urlencoded")
        guard answer.isSuccess else { throw Self.error(answer, http: endpoints.http) }
        guard let receipt = Self.receipt(fromJSON: answer.body) else {
            throw .ambiguous(message: "Twilio answered \(answer.status) with an unreadable body; the message may have been created")
        }
        return receipt
    }

    public func lookup(_ submission: Submission, submittedAfter: Date) async throws(GatewayError) -> LookupResult {
        let day = Timestamp.format(submittedAfter.addingTimeInterval(-86_400)).prefix(10)
        let query = FormEncoding.encode([("To", submission.to.e164), ("From", submission.from.e164), ("DateSent>", String(day)), ("PageSize", "100")])
        let answer = try await endpoints.http.send(.GET, messagesURL + "?" + query, headers: [authorization])
        guard answer.isSuccess else { return .unknown("Twilio could not list messages: \(Self.error(answer, http: endpoints.http))") }
        guard let messages = answer.object?["messages"] as? [[String: Any]] else {
            return .unknown("Twilio's message list was unreadable")
        }
        // Our id is in the status callback we passed; the body and number confirm it.
        for message in messages where (message["body"] as? String) == submission.body && (message["to"] as? String) == submission.to.e164 {
            if let object = try? JSONSerialization.data(withJSONObject: message), let receipt = Self.receipt(fromJSON: String(decoding: object,
                as: UTF8.self)) {
                return .found(receipt)
            }
        }
        return .notFound
    }

    /// The account resource: its name and status.
    public func checkAccount() async throws(GatewayError) -> String {
        let answer = try await endpoints.http.send(.GET, "\(endpoints.apiBaseURL)/2010-04-01/Accounts/\(accountSID).json", headers: [authorization])
        guard answer.isSuccess else { throw Self.error(answer, http: endpoints.http) }
        let name = JSONValue.string(answer.object?["friendly_name"]) ?? accountSID
        return "Twilio account \(name) (\(JSONValue.string(answer.object?["status"]) ?? "status unknown"))"
    }

    var authorization: (String, String) { ("Authorization", ProviderHTTP.basicAuthorization(accountSID, authToken)) }

    /// Twilio's message resource as a receipt; the JSON is kept verbatim.
    static func receipt(fromJSON text: String) -> SubmissionReceipt? {
        guard let data = text.data(using: .utf8), let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let sid = object["sid"] as? String, let status = object["status"] as? String else { return nil }
        let errorCode = (object["error_code"] as? Int).map(String.init) ?? (object["error_code"] as? String)
        return SubmissionReceipt(
            gatewayID: sid, status: TwilioStatus.normalized(status) ?? .queued,
            segments: (object["num_segments"] as? String).flatMap(Int.init) ?? object["num_segments"] as? Int,
            price: object["price"] as? String, priceUnit: object["price_unit"] as? String,
            errorCode: errorCode, errorMessage: object["error_message"] as? String, raw: text)
    }

    /// Twilio's error body mapped to refused, retryable or in doubt.
    static func error(_ answer: ProviderHTTP.Answer, http: ProviderHTTP) -> GatewayError {
        let code = JSONValue.string(answer.object?["code"])
        let message = JSONValue.string(answer.object?["message"]) ?? "HTTP \(answer.status)"
        if (400...499).contains(answer.status), let code, TwilioStatus.unsubscribedCodes.contains(code) {
            return .recipientOptedOut(code: code, message: message, raw: answer.body)
        }
        return http.error(answer, code: code, message: message, credentials: "account_sid and PARLEY_TWILIO_AUTH_TOKEN")
    }
}

/// Twilio's message statuses on Parley's forward-only scale.
public enum TwilioStatus {
    public static func normalized(_ status: String) -> DeliveryStatus? {
        switch status.lowercased() {
        case "accepted", "queued", "scheduled", "sending": return .queued
        case "sent": return .sent
        case "delivered", "read": return .delivered
        case "undelivered", "partially_delivered": return .undelivered
        case "failed", "canceled": return .failed
        case "received", "receiving": return .received
        default: return nil
        }
    }

    /// Permanent errors that mean the customer opted out at the carrier.
    public static let unsubscribedCodes: Set<String> = ["21610"]
}
