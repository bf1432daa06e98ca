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
