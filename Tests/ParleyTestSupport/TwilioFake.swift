import AsyncHTTPClient
import Foundation
import Hummingbird
import NIOCore

/// A loopback stand-in for Twilio's Messages API whose request and response
/// shapes follow Twilio's published API (create, fetch, list; error bodies
/// with code, message, more_info and status), for the adapter's tests.
public final class TwilioFake: @unchecked Sendable {
    public struct Created: Sendable {
        public let sid: String
        public let to: String
        public let from: String
        public let body: String
        public let statusCallback: String?
        public let json: [String: Any & Sendable]
        /// The `MediaUrl` values, in order, and what fetching each returned (its Content-Type and bytes), as Twilio fetches them.
        public var mediaURLs: [String] = []
        public var fetchedMedia: [(type: String, data: Data)] = []
    }

    /// What to answer for a `To` number instead of creating the message.
    public enum Behaviour: Sendable {
        case error(status: Int, code: Int, message: String)
        /// Creates the message, then waits this long before answering (a timeout for a short client deadline).
        case slow(seconds: Double)
        /// Fails with 503 this many times, then creates it.
        case unavailable(times: Int)
    }

    public let accountSID = "AC00000000000000000000000000000001"
    public let authToken = "fake-auth-token"
    private let lock = NSLock()
    private var messages: [Created] = []
    private var behaviours: [String: Behaviour] = [:]
    private var unavailableLeft: [String: Int] = [:]
    private var task: Task<Void, any Error>?
    public private(set) var port = 0

    public init() {}

    public var created: [Created] { lock.withLock { messages } }

    /// Media served at `mediaURL(_:)`: Twilio's URL (Basic auth required), which redirects to storage elsewhere.
    private var media: [String: (type: String, data: Data)] = [:]
    public private(set) var mediaFetches = 0
    /// Whether any request to the storage behind the redirect carried credentials (it must not).
    public private(set) var storageSawCredentials = false

    public func serve(_ data: Data, type: String, as id: String) { lock.withLock { media[id] = (type, data) } }

    public func mediaURL(_ id: String) -> String { "\(baseURL)/2010-04-01/Accounts/\(accountSID)/Messages/MM0001/Media/\(id)" }

    /// Lookup v2's line type for a number (default mobile), and how many lookups were made.
    private var lineTypes: [String: String] = [:]
    public private(set) var lookups = 0
    public func lineType(_ type: String, for number: String) { lock.withLock { lineTypes[number] = type } }

    public func behave(_ behaviour: Behaviour, for to: String) {
        lock.withLock {
            behaviours[to] = behaviour
            if case .unavailable(let times) = behaviour { unavailableLeft[to] = times }
        }
    }

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    public func start() async throws {
        let router = Router()
        let base = "/2010-04-01/Accounts/\(accountSID)"
        router.post("\(base)/Messages.json") { request, _ in try await self.create(request) }
        router.get("\(base)/Messages.json") { request, _ in self.list(request) }
        router.get("\(base).json") { request, _ in
            guard self.authorized(request) else { return self.error(401, 20003, "Authenticate") }
            return self.respond(200, ["sid": self.accountSID, "friendly_name": "Bright Smile Dental", "status": "active", "type": "Full"])
        }
        router.get("\(base)/Messages/:sid/Media/:id") { request, context in
            guard self.authorized(request) else { return self.error(401, 20003, "Authenticate") }
            self.lock.withLock { self.mediaFetches += 1 }
            return Response(status: .temporaryRedirect, headers: [.location: "/storage/\(context.parameters.get("id") ?? "")"])
        }
        router.get("/storage/:id") { request, context in
            if request.headers[.authorization] != nil { self.lock.withLock { self.storageSawCredentials = true } }
            guard let item = self.lock.withLock({ self.media[context.parameters.get("id") ?? ""] }) else { return self.error(404, 20404, "Not found") }
            return Response(status: .ok, headers: [.contentType: item.type], body: .init(byteBuffer: ByteBuffer(bytes: item.data)))
        }
        router.get("\(base)/Messages/:sid") { request, context in self.fetch(request, sid: context.parameters.get("sid") ?? "") }
        router.get("/v2/PhoneNumbers/:number") { request, context in
            guard self.authorized(request) else { return self.error(401, 20003, "Authenticate") }
            let number = context.parameters.get("number")?.removingPercentEncoding ?? ""
            guard request.uri.queryParameters.get("Fields") == "line_type_intelligence" else { return self.error(400, 60200, "Invalid parameter") }
            let type = self.lock.withLock { () -> String in
                self.lookups += 1
                return self.lineTypes[number] ?? "mobile"
            }
            return self.respond(200, ["calling_country_code": "1", "country_code": "US", "phone_number": number, "national_format": number,
                                      "valid": true, "validation_errors": [String](), "caller_name": NSNull(), "sim_swap": NSNull(),
                                      "line_type_intelligence": ["carrier_name": type == "landline" ? "AT&T Wireline" : "T-Mobile USA, Inc.",
                                                                 "error_code": NSNull(), "mobile_country_code": "310", "mobile_network_code": "160",
                                                                 "type": type],
                                      "url": "https://lookups.twilio.com/v2/PhoneNumbers/\(number)"])
        }
        (task, port) = await LoopbackServer.start(router)
    }

    public func stop() { task?.cancel() }

    private func authorized(_ request: Request) -> Bool {
        request.headers[.authorization] == "Basic " + Data("\(accountSID):\(authToken)".utf8).base64EncodedString()
    }

    private func create(_ request: Request) async throws -> Response {
        guard authorized(request) else { return error(401, 20003, "Authenticate") }
        var request = request
        let body = String(buffer: try await request.collectBody(upTo: 1 << 20))
        var form: [String: String] = [:]
        var mediaURLs: [String] = []
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0) }
            form[parts[0]] = parts.count > 1 ? parts[1] : ""
            if parts[0] == "MediaUrl", parts.count > 1 { mediaURLs.append(parts[1]) }
        }
        guard let to = form["To"], let from = form["From"], let text = form["Body"] else {
            return error(400, 21604, "A 'To' phone number is required.")
        }
        let behaviour: Behaviour? = lock.withLock { behaviours[to] }
        switch behaviour {
        case .error(let status, let code, let message)?:
            return error(status, code, message)
        case .unavailable?:
            let fail = lock.withLock { () -> Bool in
                let left = unavailableLeft[to] ?? 0
                unavailableLeft[to] = left - 1
                return left > 0
            }
            if fail { return error(503, 20503, "Service unavailable") }
        default:
            break
        }
        let sid = "SM" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let segments = text.count <= 160 ? 1 : (text.count + 152) / 153
        let json: [String: Any & Sendable] = [
            "sid": sid, "account_sid": accountSID, "messaging_service_sid": NSNull(), "from": from, "to": to, "body": text,
            "status": "queued", "num_segments": String(segments), "num_media": "0", "direction": "outbound-api",
            "price": NSNull(), "price_unit": "USD", "error_code": NSNull(), "error_message": NSNull(),
            "date_created": "Mon, 09 Mar 2026 15:00:00 +0000", "date_updated": "Mon, 09 Mar 2026 15:00:00 +0000", "date_sent": NSNull(),
            "api_version": "2010-04-01", "uri": "/2010-04-01/Accounts/\(accountSID)/Messages/\(sid).json",
        ]
        var created = Created(sid: sid, to: to, from: from, body: text, statusCallback: form["StatusCallback"], json: json)
        created.mediaURLs = mediaURLs
        for url in mediaURLs {
            guard let response = try? await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(10)) else { continue }
            let type = response.headers.first(name: "Content-Type") ?? "", status = Int(response.status.code)
            let data = Data((try await response.body.collect(upTo: 6 << 20)).readableBytesView)
            created.fetchedMedia.append((status == 200 ? type : "HTTP \(status)", data))
        }
        lock.withLock { messages.append(created) }
        if case .slow(let seconds)? = behaviour { try await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000)) }
        return respond(201, json)
    }

    private func fetch(_ request: Request, sid: String) -> Response {
        guard authorized(request) else { return error(401, 20003, "Authenticate") }
        let sid = sid.replacingOccurrences(of: ".json", with: "")
        guard let message = created.first(where: { $0.sid == sid }) else { return error(404, 20404, "The requested resource was not found") }
        return respond(200, message.json)
    }

    private func list(_ request: Request) -> Response {
        guard authorized(request) else { return error(401, 20003, "Authenticate") }
        let query = ProviderFake.form(request.uri.query ?? "")
        let matching = created.filter { (query["To"] == nil || $0.to == query["To"]) && (query["From"] == nil || $0.from == query["From"]) }
        // Pages of `listPageSize` (Twilio caps PageSize; a small one here exercises next_page_uri).
        let page = Int(query["Page"] ?? "0") ?? 0, size = min(Int(query["PageSize"] ?? "50") ?? 50, listPageSize)
        let slice = Array(matching.dropFirst(page * size).prefix(size))
        var next: Any = NSNull()
        if (page + 1) * size < matching.count {
            next = "/2010-04-01/Accounts/\(accountSID)/Messages.json?PageSize=\(size)&Page=\(page + 1)&PageToken=PA\(page + 1)"
        }
        return respond(200, ["messages": slice.map(\.json), "page": page, "page_size": size, "next_page_uri": next])
    }

    /// The most messages one page of the list holds.
    public var listPageSize = 50

    /// A message another system sent through the account (or an inbound one), as the Messages list shows it.
    public func seed(sid: String, to: String, from: String, body: String, dateSent: String, direction: String = "outbound-api",
                     status: String = "delivered") {
        let json: [String: Any & Sendable] = [
            "sid": sid, "account_sid": accountSID, "from": from, "to": to, "body": body, "status": status, "num_segments": "1",
            "num_media": "0", "direction": direction, "price": "-0.00790", "price_unit": "USD", "error_code": NSNull(),
            "error_message": NSNull(), "date_created": dateSent, "date_updated": dateSent, "date_sent": dateSent, "api_version": "2010-04-01",
            "uri": "/2010-04-01/Accounts/\(accountSID)/Messages/\(sid).json",
        ]
        lock.withLock { messages.append(Created(sid: sid, to: to, from: from, body: body, statusCallback: nil, json: json)) }
    }

    private func error(_ status: Int, _ code: Int, _ message: String) -> Response {
        respond(status, ["code": code, "message": message, "more_info": "https://www.twilio.com/docs/errors/\(code)", "status": status])
    }

    private func respond(_ status: Int, _ object: [String: Any]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return Response(status: .init(code: status), headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
