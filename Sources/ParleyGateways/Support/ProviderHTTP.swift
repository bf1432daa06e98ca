import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import ParleyCore

/// One provider's REST endpoint as the adapters call it: a request with a
/// deadline, a bounded answer, and every transport failure classified as
/// nothing-sent or in-doubt (`HTTPFailure`).
struct ProviderHTTP: Sendable {
    /// The provider's name as users know it, for messages ("Telnyx").
    let provider: String
    let timeout: TimeAmount
    let client: HTTPClient

    struct Answer: Sendable {
        let status: Int
        let headers: HTTPHeaders
        let body: String

        var isSuccess: Bool { (200...299).contains(status) }
        /// The body as a JSON object; nil when it is not one.
        var object: [String: Any]? { JSONValue.object(body) }
        var retryAfter: TimeInterval? { HTTPFailure.retryAfter(headers) }
    }

    /// Sends `body` (JSON or form, by `contentType`) with `headers`; answers up to 1 MiB are read.
    func send(_ method: HTTPMethod, _ url: String, headers: [(String, String)], body: String? = nil,
              contentType: String = "application/json") async throws(GatewayError) -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(string: body))
        }
        do {
            let response = try await client.execute(request, timeout: timeout)
            let bytes = try await response.body.collect(upTo: 1 << 20)
            return Answer(status: Int(response.status.code), headers: response.headers, body: String(buffer: bytes))
        } catch {
            throw HTTPFailure.classify(error, provider: provider)
        }
    }

    /// The usual meaning of an HTTP error status for a create call: 429 and 503 sent nothing (retry after
    /// the delay); 401 and 403 are the credentials; other 4xx refuse this message; anything else is in doubt.
    func error(_ answer: Answer, code: String?, message: String, credentials: String) -> GatewayError {
        switch answer.status {
        case 429, 503:
            return .unavailable(message: "\(provider) \(answer.status)\(code.map { " (\($0))" } ?? ""): \(message); nothing was sent",
                retryAfter: answer.retryAfter ?? 1)
        case 401, 403:
            return .misconfigured("\(provider) refused the credentials (\(code ?? String(answer.status))): check \(credentials)")
        case 400...499:
            return .rejected(code: code ?? String(answer.status), message: message, raw: answer.body)
        default:
            return .ambiguous(message: "\(provider) answered \(answer.status): \(message)")
        }
    }

    static func basicAuthorization(_ user: String, _ password: String) -> String {
        "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
    }
}

/// Reading providers' JSON without trusting its shape: every accessor
/// answers nil for a missing or mistyped value.
enum JSONValue {
    static func object(_ text: String) -> [String: Any]? { parse(text) as? [String: Any] }

    static func parse(_ text: String) -> Any? {
        guard let data = text.data(using: .utf8) else { return nil }
        return try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    }

    static func parse(_ bytes: [UInt8]) -> Any? {
        try? JSONSerialization.jsonObject(with: Data(bytes), options: [])
    }

    /// A string field, or a number written as one (providers mix both).
    static func string(_ value: Any?) -> String? {
        switch value {
        case let text as String: return text
        case let number as NSNumber: return number.stringValue
        default: return nil
        }
    }

    static func int(_ value: Any?) -> Int? { string(value).flatMap { Int($0) } }

    /// The text of a JSON value for a signature or a record.
    static func encode(_ value: Any) -> String {
        let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed])
        return data.map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}

/// Values from a callback, validated before they reach the mailbox.
enum CallbackField {
    /// A provider's message id or error code: up to 80 letters, digits and `-_.:`; anything else is refused with 400.
    static func identifier(_ text: String?, _ name: String) throws(WebhookRefusal) -> String? {
        guard let text, !text.isEmpty else { return nil }
        let allowed = { (scalar: Unicode.Scalar) in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "-_.:".unicodeScalars.contains(scalar))
        }
        guard text.count <= 80, text.unicodeScalars.allSatisfy(allowed)
        else { throw WebhookRefusal(status: 400, "\(name) must be up to 80 letters, digits and -_.:") }
        return text
    }

    /// A number as providers write it, with or without the `+` (Plivo, Vonage and Bandwidth vary).
    static func number(_ text: String?, _ defaultRegion: String) -> PhoneNumber? {
        guard var text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        if text.count >= 8, text.allSatisfy(\.isASCIIDigitCharacter) { text = "+" + text }
        return PhoneNumber.fromCallback(text, defaultRegion)
    }

    /// Seconds since 1970 from a signed timestamp, checked against `now` within `tolerance`:
    /// a replay of a request captured earlier than that is refused.
    static func freshTimestamp(_ text: String?, now: Date, tolerance: TimeInterval, provider: String) -> WebhookRefusal? {
        guard let text, let seconds = Int64(text), seconds > 0, seconds < 100_000_000_000 else {
            return WebhookRefusal(status: 403, "missing or unreadable timestamp", log: "refused a \(provider) webhook without a readable timestamp")
        }
        guard abs(now.timeIntervalSince1970 - Double(seconds)) <= tolerance else {
            return WebhookRefusal(status: 403, "timestamp outside the \(Int(tolerance)) s tolerance",
                log: "refused a \(provider) webhook whose timestamp is outside the tolerance (a replay, or a clock off)")
        }
        return nil
    }
}

extension Character {
    var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}

/// The status callback URL Parley gives a provider: its message id and the
/// number, so the report finds its conversation without a search.
enum StatusCallback {
    static func url(_ publicBaseURL: String?, provider: String, for submission: Submission) -> String? {
        publicBaseURL.map { "\($0)/\(provider)/status?ref=\(submission.id)&to=\(FormEncoding.escape(submission.to.e164))" }
    }

    static func trimmed(_ url: String?) -> String? { url.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 } }
}

/// The in-doubt look-up for providers whose message list cannot carry
/// Parley's id: a submission counts as found only when exactly one
/// outbound message from our number to theirs was created since the
/// intent; two or more (another system texting the same person) cannot be
/// told apart, and the answer stays unknown.
enum SingleMatch {
    static func result(_ matches: [SubmissionReceipt], provider: String) -> LookupResult {
        switch matches.count {
        case 0: return .notFound
        case 1: return .found(matches[0])
        default: return .unknown("\(provider) lists \(matches.count) messages to that number since the intent; check them by hand")
        }
    }
}
