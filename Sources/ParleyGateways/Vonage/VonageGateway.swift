import AsyncHTTPClient
import Foundation
import NIOCore
import ParleyCore

/// Vonage's SMS API: form POST to `/sms/json` with the API key and secret.
/// Parley's id goes out as `client-ref`, which Vonage repeats in every
/// delivery receipt and keeps in its records; `lookup` asks the Reports
/// API's synchronous records for it before anything is resent. The SMS API
/// answers 200 even when it refuses: the verdict is each part's `status`.
public struct VonageGateway: Gateway {
    public let name = "vonage"
    public let leavesMachine = true

    public let apiKey: String
    let apiSecret: String
    public let restBaseURL: String
    public let reportsBaseURL: String
    public let publicBaseURL: String?
    let http: ProviderHTTP
    /// Bounds the Reports API's search window.
    let clock: ParleyClock

    public init(apiKey: String, apiSecret: String, restBaseURL: String = "https://rest.nexmo.com", reportsBaseURL: String = "https://api.nexmo.com",
                publicBaseURL: String?, timeout: TimeAmount = .seconds(15), client: HTTPClient = .shared, clock: ParleyClock = .system) {
        self.clock = clock
        self.apiKey = apiKey
        self.apiSecret = apiSecret
        self.restBaseURL = StatusCallback.trimmed(restBaseURL) ?? restBaseURL
        self.reportsBaseURL = StatusCallback.trimmed(reportsBaseURL) ?? reportsBaseURL
        self.publicBaseURL = StatusCallback.trimmed(publicBaseURL)
        http = ProviderHTTP(provider: "Vonage", timeout: timeout, client: client)
    }

    /// Vonage writes numbers in international format without the `+`.
    static func digits(_ number: PhoneNumber) -> String { String(number.e164.dropFirst()) }

    public func submit(_ submission: Submission) async throws(GatewayError) -> SubmissionReceipt {
        var form = [("api_key", apiKey), ("api_secret", apiSecret), ("from", Self.digits(submission.from)), ("to", Self.digits(submission.to)),
                    ("text", submission.body), ("client-ref", submission.id)]
        if submission.segments.encoding != .gsm7 { form.append(("type", "unicode")) }
        if let callback = StatusCallback.url(publicBaseURL, provider: "vonage", for: submission) { form.append(("callback", callback)) }
        let answer = try await http.send(.POST, "\(restBaseURL)/sms/json", headers: [], body: FormEncoding.encode(form),
                                         contentType: "application/x-www-form-urlencoded")
        guard answer.isSuccess else {
            throw http.error(answer, code: nil, message: "HTTP \(answer.status)", credentials: "gateway.account_id and PARLEY_VONAGE_API_SECRET")
        }
        guard let parts = answer.object?["messages"] as? [[String: Any]], !parts.isEmpty else {
            throw .ambiguous(message: "Vonage answered without a messages list; the message may have been sent")
        }
        let accepted = parts.filter { JSONValue.string($0["status"]) == "0" }
        guard let first = accepted.first else { throw Self.error(parts[0], raw: answer.body) }
        let prices = accepted.compactMap { JSONValue.string($0["message-price"]).flatMap { Decimal(string: $0) } }
        let refused = parts.first { JSONValue.string($0["status"]) != "0" }
        // Once any part is accepted the message reached the outside world: a refused part is noted, never reported as a failure.
        return SubmissionReceipt(gatewayID: JSONValue.string(first["message-id"]), status: .queued, segments: parts.count,
            price: prices.count == accepted.count && !prices.isEmpty ? "\(prices.reduce(0, +))" : nil,
            errorCode: refused.flatMap { JSONValue.string($0["status"]) }, errorMessage: refused.flatMap { JSONValue.string($0["error-text"]) },
            raw: answer.body)
    }

    /// The Reports API's records of outbound SMS since the intent, searched for our `client-ref`.
    public func lookup(_ submission: Submission, submittedAfter: Date) async throws(GatewayError) -> LookupResult {
        let start = Timestamp.format(submittedAfter.addingTimeInterval(-300))
        let end = Timestamp.format(clock.now().addingTimeInterval(300))
        let query = FormEncoding.encode([("account_id", apiKey), ("product", "SMS"), ("direction", "outbound"), ("date_start", start),
                                         ("date_end", end), ("to", Self.digits(submission.to))])
        let answer = try await http.send(.GET, "\(reportsBaseURL)/v2/reports/records?\(query)",
                                         headers: [("Authorization", ProviderHTTP.basicAuthorization(apiKey, apiSecret))])
        guard answer.isSuccess else { return .unknown("Vonage's Reports API answered \(answer.status)") }
        guard let records = answer.object?["records"] as? [[String: Any]] else { return .unknown("Vonage's records were unreadable") }
        guard let record = records.first(where: { JSONValue.string($0["client_ref"]) == submission.id }) else { return .notFound }
        return .found(SubmissionReceipt(gatewayID: JSONValue.string(record["message_id"]),
            status: VonageStatus.normalized(JSONValue.string(record["status"]) ?? "") ?? .queued, price: JSONValue.string(record["total_price"]),
            priceUnit: JSONValue.string(record["currency"]), raw: JSONValue.encode(record)))
    }

    /// The account's balance (`/account/get-balance`).
    public func checkAccount() async throws(GatewayError) -> String {
        let query = FormEncoding.encode([("api_key", apiKey), ("api_secret", apiSecret)])
        let answer = try await http.send(.GET, "\(restBaseURL)/account/get-balance?\(query)", headers: [])
        guard answer.isSuccess, let value = JSONValue.string(answer.object?["value"]) else {
            throw http.error(answer, code: nil, message: "HTTP \(answer.status)", credentials: "gateway.account_id and PARLEY_VONAGE_API_SECRET")
        }
        return "Vonage balance \(value)"
    }

    /// A refused part's `status` and `error-text` mapped to refused, retryable or in doubt.
    static func error(_ part: [String: Any], raw: String) -> GatewayError {
        let code = JSONValue.string(part["status"]) ?? "?"
        let text = JSONValue.string(part["error-text"]) ?? "status \(code)"
        switch code {
        case "1": return .unavailable(message: "Vonage throttled the request (1): \(text); nothing was sent", retryAfter: 1)
        case "4", "8", "11", "14", "32": return .misconfigured("Vonage refused the account (\(code)): \(text)")
        case "5": return .ambiguous(message: "Vonage reported an internal error (5): \(text)")
        default: return .rejected(code: code, message: text, raw: raw)
        }
    }
}

/// Vonage's delivery-receipt statuses on Parley's forward-only scale.
public enum VonageStatus {
    public static func normalized(_ status: String) -> DeliveryStatus? {
        switch status.lowercased() {
        case "accepted", "buffered", "submitted": return .queued
        case "delivered": return .delivered
        case "expired", "unknown": return .undelivered
        case "failed", "rejected": return .failed
        default: return nil
        }
    }
}
