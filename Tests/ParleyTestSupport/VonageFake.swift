import Foundation
import Hummingbird

/// Vonage's SMS API on loopback: `POST /sms/json` (form; 200 with a
/// `messages` list whose `status` is "0" or an error code with
/// `error-text`) and the Reports API's `GET /v2/reports/records`.
public final class VonageFake: ProviderFake, @unchecked Sendable {
    public let apiKey = "abcd1234"
    public let apiSecret = "vonage-fake-secret"

    override func routes(_ router: Router<BasicRequestContext>) {
        router.post("/sms/json") { request, _ in try await self.create(request) }
        router.get("/v2/reports/records") { request, _ in self.records(request) }
        router.get("/account/get-balance") { request, _ in
            let query = Self.form(request.uri.query ?? "")
            guard query["api_key"] == self.apiKey, query["api_secret"] == self.apiSecret else {
                return self.respond(401, ["type": "https://developer.nexmo.com/api-errors#unauthorized", "title": "Unauthorized"])
            }
            return self.respond(200, ["value": 10.28, "autoReload": false])
        }
    }

    public static func error(_ status: String, _ text: String) -> [String: Any] {
        ["message-count": "1", "messages": [["status": status, "error-text": text]]]
    }

    private func create(_ request: Request) async throws -> Response {
        let form = try await formBody(request)
        guard form["api_key"] == apiKey, form["api_secret"] == apiSecret else { return respond(200, Self.error("4", "Bad Credentials")) }
        guard let to = form["to"], let from = form["from"], let text = form["text"] else { return respond(200, Self.error("2", "Missing to param")) }
        if let answer = interception(for: to, unavailable: Self.error("1", "Throughput Rate Exceeded")) { return answer }
        let id = String(format: "%016llX", UInt64.random(in: 0...UInt64.max))
        let part: [String: Any] = ["to": to, "message-id": id, "status": "0", "remaining-balance": "15.53590000", "message-price": "0.03330000",
                                   "network": "310260", "client-ref": form["client-ref"] ?? ""]
        try await record(Created(id: id, to: to, from: from, body: text, request: form, headers: headers(request), json: part))
        return respond(200, ["message-count": "1", "messages": [part]])
    }

    private func records(_ request: Request) -> Response {
        guard request.headers[.authorization] == basic(apiKey, apiSecret) else { return respond(401, ["title": "Unauthorized"]) }
        let query = Self.form(request.uri.query ?? "")
        let records = created.filter { query["to"] == nil || $0.to == query["to"] }.map { message -> [String: Any] in
            ["account_id": apiKey, "message_id": message.id, "client_ref": message.request["client-ref"] ?? "", "to": message.to, "from": message.from,
             "direction": "outbound", "status": "delivered", "total_price": "0.03330000", "currency": "EUR", "date_received": "2026-03-09T15:00:00+0000"]
        }
        return respond(200, ["request_status": "SUCCESS", "received_at": "2026-03-09T15:00:01+0000", "items_count": records.count, "records": records])
    }
}
