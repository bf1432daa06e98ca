import AsyncHTTPClient
import Foundation
import NIOCore
import ParleyCore

/// Kannel's smsbox: `GET /cgi-bin/sendsms` with the text, asking for every
/// delivery report (`dlr-mask=31`) at a URL that carries Parley's id—Kannel's
/// reply has no message id, so the reports are how it is matched. Kannel
/// cannot look messages up: an in-doubt send is settled by its report.
public struct KannelGateway: Gateway {
    public let name = "kannel"
    public let leavesMachine = true

    /// e.g. `http://127.0.0.1:13013/cgi-bin/sendsms`
    public let sendsmsURL: String
    public let username: String
    let password: String
    /// Where Kannel reaches `parley serve`, for delivery reports; nil: none.
    public let publicBaseURL: String?
    /// The per-install secret that authenticates Kannel's callbacks.
    let webhookSecret: String?
    public let smsc: String?
    public let timeout: TimeAmount
    let client: HTTPClient

    public init(sendsmsURL: String, username: String, password: String, publicBaseURL: String?, webhookSecret: String?,
                smsc: String? = nil, timeout: TimeAmount = .seconds(15), client: HTTPClient = .shared) {
        self.sendsmsURL = sendsmsURL
        self.username = username
        self.password = password
        self.publicBaseURL = StatusCallback.trimmed(publicBaseURL)
        self.webhookSecret = webhookSecret
        self.smsc = smsc
        self.timeout = timeout
        self.client = client
    }

    /// The delivery-report URL for one message; Kannel fills the `%` fields.
    public func dlrURL(for submission: Submission) -> String? {
        guard let publicBaseURL else { return nil }
        let secret = webhookSecret.map { "k=\(FormEncoding.escape($0))&" } ?? ""
        return "\(publicBaseURL)/kannel/dlr?\(secret)ref=\(submission.id)&to=\(FormEncoding.escape(submission.to.e164))&st=%d&ts=%T&fid=%F&ans=%A"
    }

    public func submit(_ submission: Submission) async throws(GatewayError) -> SubmissionReceipt {
        var query = [("username", username), ("password", password), ("from", submission.from.e164), ("to", submission.to.e164),
                     ("text", submission.body), ("charset", "UTF-8")]
        if submission.segments.encoding == .ucs2 { query.append(("coding", "2")) }
        if let smsc { query.append(("smsc", smsc)) }
        if let dlr = dlrURL(for: submission) { query += [("dlr-mask", "31"), ("dlr-url", dlr)] }
        let request = HTTPClientRequest(url: sendsmsURL + "?" + FormEncoding.encode(query))
        let status: Int
        let text: String
        do {
            let response = try await client.execute(request, timeout: timeout)
            status = Int(response.status.code)
            text = String(buffer: try await response.body.collect(upTo: 64 * 1024)).trimmingCharacters(in: .whitespacesAndNewlines)
        } catch {
            throw HTTPFailure.classify(error, provider: "Kannel")
        }
        switch status {
        case 200...299:
            // "0: Accepted for delivery" or "3: Queued for later delivery"
            return SubmissionReceipt(gatewayID: nil, status: .queued, segments: submission.segments.segments, raw: "\(status) \(text)")
        case 503:
            throw .unavailable(message: "Kannel 503: \(text); nothing was sent", retryAfter: 1)
        case 401, 403:
            throw .misconfigured("Kannel refused the sendsms credentials (\(status) \(text)): check username and PARLEY_KANNEL_PASSWORD")
        case 400...499:
            throw .rejected(code: String(status), message: text, raw: "\(status) \(text)")
        default:
            throw .ambiguous(message: "Kannel answered \(status): \(text)")
        }
    }
}

/// Kannel's delivery report values on Parley's forward-only scale.
public enum KannelDLR {
    public static func normalized(_ value: Int) -> DeliveryStatus? {
        switch value {
        case 1: return .delivered
        case 2: return .undelivered
        case 4: return .queued
        case 8: return .sent
        case 16: return .failed
        default: return nil
        }
    }
}
