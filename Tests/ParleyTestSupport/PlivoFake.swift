import Foundation
import Hummingbird

/// Plivo's Message API on loopback: `POST /v1/Account/{auth_id}/Message/`
/// (Basic auth, 202 with `message_uuid`) and the message list with its
/// `meta` and `objects`, and Plivo's `{"api_id", "error"}` errors.
public final class PlivoFake: ProviderFake, @unchecked Sendable {
    public let authID = "MAFAKE0000000000000001"
    public let authToken = "plivo-fake-token"

    override func routes(_ router: Router<BasicRequestContext>) {
        let base = "/v1/Account/\(authID)/Message"
        router.post("\(base)/") { request, _ in try await self.create(request) }
        router.get("\(base)/") { request, _ in self.list(request) }
        router.get("/v1/Account/\(authID)/") { request, _ in
            guard request.headers[.authorization] == self.basic(self.authID, self.authToken) else { return self.respond(401, Self.error("Authentication failed")) }
            return self.respond(200, ["account_type": "standard", "auth_id": self.authID, "cash_credits": "23.45", "name": "Bright Smile Dental",
                                      "resource_uri": "/v1/Account/\(self.authID)/", "timezone": "America/Chicago"])
        }
    }

    public static func error(_ message: String) -> [String: Any] { ["api_id": newID(), "error": message] }

    private func create(_ request: Request) async throws -> Response {
        guard request.headers[.authorization] == basic(authID, authToken) else { return respond(401, Self.error("Authentication failed")) }
        guard let json = try await jsonBody(request), let to = json["dst"] as? String, let from = json["src"] as? String,
              let text = json["text"] as? String else { return respond(400, Self.error("src, dst and text are required")) }
        if let answer = interception(for: to, unavailable: Self.error("service unavailable")) { return answer }
        let id = Self.newID()
        let object: [String: Any] = [
            "message_uuid": id, "from_number": String(from.dropFirst()), "to_number": String(to.dropFirst()), "message_state": "queued",
            "message_direction": "outbound", "message_type": "sms", "units": 1, "total_amount": "0.00500", "total_rate": "0.00500",
            "error_code": "", "message_time": "2026-03-09 15:00:00.000000+00:00",
        ]
        try await record(Created(id: id, to: to, from: from, body: text, request: json, headers: headers(request), json: object))
        return respond(202, ["api_id": Self.newID(), "message": "message(s) queued", "message_uuid": [id]])
    }

    private func list(_ request: Request) -> Response {
        guard request.headers[.authorization] == basic(authID, authToken) else { return respond(401, Self.error("Authentication failed")) }
        let objects = created.map(\.json)
        return respond(200, ["api_id": Self.newID(), "meta": ["limit": 20, "offset": 0, "next": NSNull(), "previous": NSNull(),
                                                             "total_count": objects.count], "objects": objects])
    }
}
