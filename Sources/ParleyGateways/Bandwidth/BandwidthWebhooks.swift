import Foundation
import ParleyCore

/// Bandwidth's messaging callbacks: a JSON array of events posted to the
/// application's callback URL. A request is Bandwidth's when it carries the
/// callback credentials set on the application (HTTP Basic), compared in
/// constant time; Bandwidth has no request signature.
public struct BandwidthWebhooks: WebhookProvider {
    public let name = "bandwidth"
    public var proof: String { "the application's callback credentials (Basic)" }
    let username: String?
    let password: String?
    /// The API credentials inbound media downloads need (Bandwidth's media URLs take the same Basic auth as its API).
    let apiAuthorization: String?
    /// An array of more events than this is refused (Bandwidth sends one per callback).
    static let maximumEvents = 100

    public init(username: String?, password: String?, apiUsername: String? = nil, apiPassword: String? = nil) {
        self.username = username
        self.password = password
        apiAuthorization = apiUsername.flatMap { user in apiPassword.map { ProviderHTTP.basicAuthorization(user, $0) } }
    }

    /// Bandwidth's media URLs (`…/api/v2/users/ACCOUNT/media/ID`) take the API credentials.
    public func mediaAuthorization(for url: String) -> String? {
        guard let path = URLComponents(string: url)?.path, path.contains("/api/v2/users/"), path.contains("/media/") else { return nil }
        return apiAuthorization
    }

    public var routes: [WebhookRoute] { [WebhookRoute([.post], "/bandwidth/callbacks", decodeAll: Self.events)] }

    public var notConfigured: String? {
        username == nil || password == nil
            ? "Bandwidth callbacks are refused: no gateway.callback_username and PARLEY_BANDWIDTH_CALLBACK_PASSWORD (the application's "
                + "callback credentials)" : nil
    }

    public func authenticate(_ request: WebhookRequest) -> WebhookRefusal? {
        guard let username, let password else { return WebhookRefusal(status: 503, notConfigured ?? "not configured") }
        guard let header = request.header("Authorization"), header.hasPrefix("Basic "),
              ConstantTime.equal(header, ProviderHTTP.basicAuthorization(username, password)) else {
            return WebhookRefusal(status: 401, "callback credentials required", log: "refused a Bandwidth callback without the callback credentials")
        }
        return nil
    }

    static func events(_ request: WebhookRequest, defaultRegion: String) throws(WebhookRefusal) -> [IngestItem] {
        guard let events = JSONValue.parse(request.body) as? [[String: Any]], events.count <= maximumEvents else {
            throw WebhookRefusal(status: 400, "expected a JSON array of up to \(maximumEvents) Bandwidth message events")
        }
        var items: [IngestItem] = []
        for event in events {
            if let item = try self.event(event, raw: JSONValue.encode(event), defaultRegion: defaultRegion) { items.append(item) }
        }
        return items
    }

    static func event(_ event: [String: Any], raw: String, defaultRegion: String) throws(WebhookRefusal) -> IngestItem? {
        guard let type = JSONValue.string(event["type"]), let message = event["message"] as? [String: Any] else {
            throw WebhookRefusal(status: 400, "each event needs a type and a message")
        }
        let id = try CallbackField.identifier(JSONValue.string(message["id"]), "message.id")
        if type == "message-received" {
            guard let from = CallbackField.number(JSONValue.string(message["from"]), defaultRegion), let id else {
                throw WebhookRefusal(status: 400, "message.from and message.id are required")
            }
            let to = JSONValue.string(message["owner"]) ?? (message["to"] as? [Any])?.first.flatMap(JSONValue.string)
            var inbound = InboundMessage(from: from, to: CallbackField.number(to, defaultRegion), body: JSONValue.string(message["text"]) ?? "",
                                         gateway: "bandwidth", gatewayID: id)
            // Bandwidth declares no types: the download's Content-Type decides what is kept.
            inbound.mediaReferences = ((message["media"] as? [Any]) ?? []).prefix(10).compactMap(JSONValue.string).map {
                MediaReference(url: $0, contentType: nil, name: URL(string: $0)?.lastPathComponent)
            }
            return .inbound(inbound)
        }
        guard let status = BandwidthStatus.normalized(type) else { return nil }
        return .report(StatusReport(gateway: "bandwidth", reference: try CallbackField.identifier(JSONValue.string(message["tag"]), "message.tag"),
            number: CallbackField.number(JSONValue.string(event["to"]), defaultRegion), gatewayID: id, status: status,
            errorCode: try CallbackField.identifier(JSONValue.string(event["errorCode"]), "errorCode"),
            errorMessage: JSONValue.string(event["description"]).map { String($0.prefix(200)) }, raw: raw))
    }
}
