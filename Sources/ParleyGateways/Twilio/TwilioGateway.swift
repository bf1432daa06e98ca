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
public struct TwilioGateway: Gateway {
    public let name = "twilio"
    public let leavesMachine = true

    public let accountSID: String
    let authToken: String
    /// `https://api.twilio.com`, or a loopback fake in tests.
    public let apiBaseURL: String
    /// Where Twilio reaches `parley serve`, for status callbacks; nil: no callbacks.
    public let publicBaseURL: String?
    public let timeout: TimeAmount
    let client: HTTPClient

    public init(accountSID: String, authToken: String, apiBaseURL: String = "https://api.twilio.com", publicBaseURL: String?,
                timeout: TimeAmount = .seconds(15), client: HTTPClient = .shared) {
        self.accountSID = accountSID
        self.authToken = authToken
        self.apiBaseURL = apiBaseURL.hasSuffix("/") ? String(apiBaseURL.dropLast()) : apiBaseURL
        self.publicBaseURL = publicBaseURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        self.timeout = timeout
        self.client = client
    }

    var messagesURL: String { "\(apiBaseURL)/2010-04-01/Accounts/\(accountSID)/Messages.json" }

    /// The status callback for a message: our id and the number, so the
    /// report finds its conversation without a search.
    public func statusCallback(for submission: Submission) -> String? {
        publicBaseURL.map { "\($0)/twilio/status?ref=\(submission.id)&to=\(FormEncoding.escape(submission.to.e164))" }
    }

    public func submit(_ submission: Submission) async throws(GatewayError) -> SubmissionReceipt {
        var form = [("To", submission.to.e164), ("From", submission.from.e164), ("Body", submission.body)]
        if let callback = statusCallback(for: submission) { form.append(("StatusCallback", callback)) }
        var request = HTTPClientRequest(url: messagesURL)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Authorization", value: basicAuthorization)
        request.body = .bytes(ByteBuffer(string: FormEncoding.encode(form)))
        let (status, headers, text) = try await perform(request)
        switch status {
        case 200...299:
            guard let receipt = Self.receipt(fromJSON: text) else {
                throw .ambiguous(message: "Twilio answered \(status) with an unreadable body; the message may have been created")
            }
            return receipt
        default:
            throw Self.error(status: status, headers: headers, body: text)
        }
    }

    public func lookup(_ submission: Submission, submittedAfter: Date) async throws(GatewayError) -> LookupResult {
        let day = Timestamp.format(submittedAfter.addingTimeInterval(-86_400)).prefix(10)
        let query = FormEncoding.encode([("To", submission.to.e164), ("From", submission.from.e164), ("DateSent>", String(day)), ("PageSize", "100")])
        var request = HTTPClientRequest(url: messagesURL + "?" + query)
        request.headers.add(name: "Authorization", value: basicAuthorization)
        let (status, headers, text) = try await perform(request)
        guard (200...299).contains(status) else {
            let error = Self.error(status: status, headers: headers, body: text)
            return .unknown("Twilio could not list messages: \(error)")
        }
        guard let data = text.data(using: .utf8), let page = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let messages = page["messages"] as? [[String: Any]] else {
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

    private var basicAuthorization: String {
        "Basic " + Data("\(accountSID):\(authToken)".utf8).base64EncodedString()
    }

    private func perform(_ request: HTTPClientRequest) async throws(GatewayError) -> (Int, HTTPHeaders, String) {
        do {
            let response = try await client.execute(request, timeout: timeout)
            let body = try await response.body.collect(upTo: 1 << 20)
            return (Int(response.status.code), response.headers, String(buffer: body))
        } catch {
            throw HTTPFailure.classify(error, provider: "Twilio")
        }
    }

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
    static func error(status: Int, headers: HTTPHeaders, body: String) -> GatewayError {
        let object = body.data(using: .utf8).flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
        let code = (object?["code"] as? Int).map(String.init)
        let message = object?["message"] as? String ?? "HTTP \(status)"
        switch status {
        case 429, 503:
            return .unavailable(message: "Twilio \(status)\(code.map { " (\($0))" } ?? ""): \(message); nothing was sent",
                retryAfter: HTTPFailure.retryAfter(headers) ?? 1)
        case 401, 403:
            return .misconfigured("Twilio refused the credentials (\(code ?? String(status))): check account_sid and PARLEY_TWILIO_AUTH_TOKEN")
        case 400...499 where code.map(TwilioStatus.unsubscribedCodes.contains) == true:
            return .recipientOptedOut(code: code!, message: message, raw: body)
        case 400...499:
            return .rejected(code: code ?? String(status), message: message, raw: body)
        default:
            return .ambiguous(message: "Twilio answered \(status): \(message)")
        }
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
