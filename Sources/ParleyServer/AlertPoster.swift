import AsyncHTTPClient
import Foundation
import NIOCore
import ParleyCore

/// Posts one line to the team's incoming webhook (Slack's `{"text": …}`
/// body, which Mattermost, Rocket.Chat and Discord's Slack-compatible
/// endpoints accept too). The URL is a secret—whoever has it can post to
/// the channel—so it is never logged: messages name only its host.
public struct AlertPoster: Sendable {
    let url: URL
    let client: HTTPClient

    /// Fails when `text` is not an http(s) URL.
    public init(url text: String, client: HTTPClient = .shared) throws(ParleyError) {
        guard let url = URL(string: text), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil else {
            throw .invalidInput("the alert URL is not an http(s) URL; set PARLEY_ALERT_WEBHOOK_URL to your incoming webhook's URL")
        }
        self.url = url
        self.client = client
    }

    /// Where alerts go, for logs: the host only.
    public var destination: String { url.host ?? "?" }

    func post(_ text: String) async throws {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(data: try JSONEncoder().encode(["text": text])))
        let response = try await client.execute(request, timeout: .seconds(10))
        guard (200..<300).contains(response.status.code) else {
            throw ParleyError.gateway("\(destination) answered HTTP \(response.status.code)")
        }
    }
}
