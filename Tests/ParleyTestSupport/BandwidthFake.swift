import Foundation
import Hummingbird
import NIOCore

/// Bandwidth's Messaging API v2 on loopback: `POST /api/v2/users/{accountId}/messages`
/// (Basic auth, 202 with the message and its `tag`) and the message list
/// (`totalCount`, `messages` without text), with `{"type", "description"}` errors.
public final class BandwidthFake: ProviderFake, @unchecked Sendable {
    public let accountID = "9900000"
    public let applicationID = "93de2206-9669-4e07-948d-329f4b722ee2"
    public let username = "api-user"
    public let password = "bandwidth-fake-password"

    override func routes(_ router: Router<BasicRequestContext>) {
        router.post("/api/v2/users/\(accountID)/messages") { request, _ in try await self.create(request) }
        router.get("/api/v2/users/\(accountID)/messages") { request, _ in self.list(request) }
        router.get("/api/v2/users/\(accountID)/media/**") { request, _ in
            guard request.headers[.authorization] == self.basic(self.username, self.password) else {
                return self.respond(401, Self.error("unauthorized", "Authentication Failed"))
            }
            guard let item = self.lock.withLock({ self.media[request.uri.path] }) else { return self.respond(404, Self.error("not-found", "No media")) }
            return Response(status: .ok, headers: [.contentType: item.type], body: .init(byteBuffer: ByteBuffer(bytes: item.data)))
        }
    }

    private var media: [String: (type: String, data: Data)] = [:]

    /// Media of an inbound message, at Bandwidth's URL shape; answers the URL an inbound event carries.
    public func serve(_ data: Data, type: String, name: String, message: String) -> String {
        let path = "/api/v2/users/\(accountID)/media/\(message)/0/\(name)"
        lock.withLock { media[path] = (type, data) }
        return baseURL + path
    }

    public static func error(_ type: String, _ description: String) -> [String: Any] { ["type": type, "description": description] }

    private func create(_ request: Request) async throws -> Response {
        guard request.headers[.authorization] == basic(username, password) else { return respond(401, Self.error("unauthorized", "Authentication Failed")) }
        guard let json = try await jsonBody(request), let to = (json["to"] as? [String])?.first, let from = json["from"] as? String,
              let text = json["text"] as? String, json["applicationId"] as? String == applicationID else {
            return respond(400, Self.error("request-validation", "Your request could not be accepted"))
        }
        if let answer = interception(for: to, unavailable: Self.error("service-unavailable", "Service unavailable")) { return answer }
        let id = "\(Int(Date().timeIntervalSince1970 * 1000))\(Self.newID().prefix(12).filter(\.isLetter))"
        let message: [String: Any] = ["id": id, "owner": from, "applicationId": applicationID, "time": "2026-03-09T15:00:00.000Z", "segmentCount": 1,
                                      "direction": "out", "to": [to], "from": from, "text": text, "tag": json["tag"] ?? NSNull()]
        try await record(Created(id: id, to: to, from: from, body: text, request: json, headers: headers(request), json: message))
        return respond(202, message)
    }

    private func list(_ request: Request) -> Response {
        guard request.headers[.authorization] == basic(username, password) else { return respond(401, Self.error("unauthorized", "Authentication Failed")) }
        let query = Self.form(request.uri.query ?? "")
        let messages = created.filter { (query["destinationTn"] == nil || $0.to == query["destinationTn"]) && (query["sourceTn"] == nil || $0.from == query["sourceTn"]) }
            .map { message -> [String: Any] in
                ["messageId": message.id, "accountId": accountID, "sourceTn": message.from, "destinationTn": message.to, "messageStatus": "SENT",
                 "messageDirection": "OUTBOUND", "messageType": "sms", "segmentCount": 1, "errorCode": 0, "receiveTime": "2026-03-09T15:00:00.000Z"]
            }
        return respond(200, ["totalCount": messages.count, "pageInfo": [:] as [String: Any], "messages": messages])
    }
}
