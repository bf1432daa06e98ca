import Foundation
import Hummingbird

/// Telnyx's v2 API on loopback: `POST /v2/messages` (Bearer key,
/// `Idempotency-Key` replaying the first successful answer), and
/// `GET /v2/detail_records` for messaging records, with Telnyx's
/// `{"data": …}` and `{"errors": [{code, title, detail}]}` shapes.
public final class TelnyxFake: ProviderFake, @unchecked Sendable {
    public let apiKey = "KEY0123456789fake"
    private var replays: [String: (body: String, answer: [String: Any])] = [:]
    /// The carrier type a number lookup answers (default "mobile").
    private var lineTypes: [String: String] = [:]
    public func lineType(_ type: String, for number: String) { lock.withLock { lineTypes[number] = type } }

    override func routes(_ router: Router<BasicRequestContext>) {
        router.post("/v2/messages") { request, _ in try await self.create(request) }
        router.get("/v2/detail_records") { request, _ in self.records(request) }
        router.get("/v2/number_lookup/:number") { request, context in
            guard self.authorized(request) else { return self.respond(401, Self.error("10009", "Authentication failed")) }
            let number = context.parameters.get("number")?.removingPercentEncoding ?? ""
            let type = self.lock.withLock { self.lineTypes[number] ?? "mobile" }
            return self.respond(200, ["data": [
                "record_type": "number_lookup", "phone_number": number, "country_code": "US", "national_format": number, "fraud": NSNull(),
                "carrier": ["type": type, "name": type == "fixed line" ? "AT&T Wireline" : "T-Mobile USA, Inc.", "mobile_country_code": "310",
                            "mobile_network_code": "160", "error_code": NSNull()],
                "portability": ["ported_status": "N", "line_type": type],
            ]])
        }
        router.get("/v2/balance") { request, _ in
            guard self.authorized(request) else { return self.respond(401, Self.error("10009", "Authentication failed")) }
            return self.respond(200, ["data": ["record_type": "balance", "balance": "300.00", "credit_limit": "100.00", "available_credit": "400.00",
                                               "currency": "USD"]])
        }
    }

    public static func error(_ code: String, _ title: String, _ detail: String = "") -> [String: Any] {
        ["errors": [["code": code, "title": title, "detail": detail]]]
    }

    private func authorized(_ request: Request) -> Bool { request.headers[.authorization] == "Bearer \(apiKey)" }

    private func create(_ request: Request) async throws -> Response {
        guard authorized(request) else { return respond(401, Self.error("10009", "Authentication failed", "The API key is not valid.")) }
        let headers = headers(request)
        guard let json = try await jsonBody(request), let to = json["to"] as? String, let from = json["from"] as? String,
              let text = json["text"] as? String else { return respond(422, Self.error("10005", "Invalid value", "from, to and text are required")) }
        let key = headers["idempotency-key"]
        let canonical = String(decoding: try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]), as: UTF8.self)
        if let key, let replay = lock.withLock({ replays[key] }) {
            return replay.body == canonical ? respond(200, replay.answer) : respond(422, Self.error("10015", "Idempotency key reused with another request"))
        }
        if let answer = interception(for: to, unavailable: Self.error("10011", "Service unavailable")) { return answer }
        let id = Self.newID()
        let data: [String: Any] = [
            "record_type": "message", "direction": "outbound", "id": id, "type": "SMS", "messaging_profile_id": json["messaging_profile_id"] ?? NSNull(),
            "from": ["phone_number": from, "carrier": "Telnyx", "line_type": "Wireless"],
            "to": [["phone_number": to, "status": "queued", "carrier": "T-MOBILE USA, INC.", "line_type": "Wireless"]],
            "text": text, "media": [], "webhook_url": json["webhook_url"] ?? NSNull(), "webhook_failover_url": NSNull(), "encoding": "GSM-7",
            "parts": 1, "tags": [], "cost": ["amount": "0.0040", "currency": "USD"], "received_at": "2026-03-09T15:00:00.000+00:00",
            "sent_at": NSNull(), "completed_at": NSNull(), "valid_until": "2026-03-09T16:00:00.000+00:00", "errors": [],
        ]
        try await record(Created(id: id, to: to, from: from, body: text, request: json, headers: headers, json: data))
        if let key { lock.withLock { replays[key] = (canonical, ["data": data]) } }
        return respond(200, ["data": data])
    }

    private func records(_ request: Request) -> Response {
        guard authorized(request) else { return respond(401, Self.error("10009", "Authentication failed")) }
        let query = Self.form(request.uri.query ?? "")
        guard query["filter[record_type]"] == "messaging" else { return respond(400, Self.error("10015", "filter[record_type] is required")) }
        let matching = created.filter { query["filter[cld]"] == nil || $0.to == query["filter[cld]"] }.map { message -> [String: Any] in
            ["record_type": "message_detail_record", "uuid": message.id, "cld": message.to, "cli": message.from, "direction": "outbound",
             "status": "delivered", "parts": 1, "cost": "0.0040", "currency": "USD", "message_type": "SMS",
             "delivery_status_webhook_url": message.request["webhook_url"] ?? NSNull(), "created_at": "2026-03-09T15:00:00Z"]
        }
        return respond(200, ["data": matching, "meta": ["page_number": 1, "page_size": 100, "total_pages": 1, "total_results": matching.count]])
    }
}
