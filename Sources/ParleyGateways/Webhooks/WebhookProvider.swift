import Foundation
import ParleyCore

/// A provider's callback as it arrived, before anything in it is believed.
/// The server fills it in; the provider's folder authenticates and decodes it.
public struct WebhookRequest: Sendable {
    public enum Method: String, Sendable { case get = "GET", post = "POST" }

    public var method: Method
    /// The path and query exactly as requested (`/twilio/status?ref=…`).
    public var target: String
    /// Header values by lower-cased name.
    public var headers: [String: String]
    public var body: [UInt8]
    /// The peer's IP address, for providers that check where a call comes from.
    public var remoteAddress: String?

    public init(method: Method, target: String, headers: [String: String], body: [UInt8], remoteAddress: String?) {
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
    }

    public var path: String { String(target.prefix { $0 != "?" }) }
    /// A posted form's pairs, as sent (and as signed).
    public var formPairs: [(String, String)] { FormEncoding.decode(String(decoding: body, as: UTF8.self)) }
    public var query: String { target.firstIndex(of: "?").map { String(target[target.index(after: $0)...]) } ?? "" }
    public func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// What the server answers.
public struct WebhookResponse: Sendable, Equatable {
    public var status: Int
    public var contentType: String
    public var body: String

    public init(status: Int, contentType: String = "text/plain; charset=utf-8", body: String = "") {
        self.status = status
        self.contentType = contentType
        self.body = body
    }

    public static let ok = WebhookResponse(status: 200)
}

/// Why a callback is turned away; `log` says it for the server's log, never with the request's values.
public struct WebhookRefusal: Error, Sendable {
    public var status: Int
    public var message: String
    public var log: String?

    public init(status: Int, _ message: String, log: String? = nil) {
        self.status = status
        self.message = message
        self.log = log
    }

    public static func badRequest(_ error: ParleyError) -> WebhookRefusal { WebhookRefusal(status: 400, error.description) }

    /// The named fields of form or query pairs; a repeated one is refused with 400.
    static func fields(_ pairs: [(String, String)], reading names: Set<String>) throws(WebhookRefusal) -> [String: String] {
        try reading { () throws(ParleyError) in try FormEncoding.fields(pairs, reading: names) }
    }

    /// Runs a decoder whose every error means the request's content is unusable: 400.
    static func reading<T>(_ decode: () throws(ParleyError) -> T) throws(WebhookRefusal) -> T {
        do { return try decode() } catch { throw .badRequest(error) }
    }
}

/// One URL a provider calls and how to read what it carries.
public struct WebhookRoute: Sendable {
    public let methods: [WebhookRequest.Method]
    public let path: String
    /// The ingest items the callback carries (Bandwidth batches several); empty for a callback Parley notes and ignores.
    public let decode: @Sendable (WebhookRequest, _ defaultRegion: String) throws(WebhookRefusal) -> [IngestItem]
    /// The answer once the item is durable.
    public let acknowledgement: WebhookResponse

    /// A route whose callback carries at most one item.
    public init(_ methods: [WebhookRequest.Method], _ path: String, acknowledgement: WebhookResponse = .ok,
                decode: @escaping @Sendable (WebhookRequest, String) throws(WebhookRefusal) -> IngestItem?) {
        self.init(methods, path, acknowledgement: acknowledgement, decodeAll: { (request, region) throws(WebhookRefusal) in
            try decode(request, region).map { [$0] } ?? []
        })
    }

    public init(_ methods: [WebhookRequest.Method], _ path: String, acknowledgement: WebhookResponse = .ok,
                decodeAll: @escaping @Sendable (WebhookRequest, String) throws(WebhookRefusal) -> [IngestItem]) {
        self.methods = methods
        self.path = path
        self.decode = decodeAll
        self.acknowledgement = acknowledgement
    }
}

/// A provider's webhooks: its URLs and how a request proves it comes from
/// the provider. The server runs `authenticate` before a route reads anything.
public protocol WebhookProvider: Sendable {
    var name: String { get }
    var routes: [WebhookRoute] { get }
    /// How a request proves it is the provider's, for `parley serve --help` ("X-Twilio-Signature over the public URL").
    var proof: String { get }
    /// Why every request is refused with 503 (a secret or URL not set); nil when configured.
    var notConfigured: String? { get }
    /// Nil when the request is the provider's; otherwise the refusal (401/403, or 503 when not configured).
    func authenticate(_ request: WebhookRequest) -> WebhookRefusal?
    /// The `Authorization` value fetching one of the provider's media URLs needs; nil for none.
    func mediaAuthorization(for url: String) -> String?
}

extension WebhookProvider {
    public func mediaAuthorization(for url: String) -> String? { nil }
}

/// Settings for webhooks that come from `parley serve`'s flags rather than `parley.yaml`.
public struct WebhookOptions: Sendable {
    /// Overrides `gateway.public_base_url`: the URL providers call.
    public var publicBaseURL: String?
    /// The clock signed timestamps (Telnyx, Vonage) are checked against.
    public var clock: ParleyClock = .system

    public init(publicBaseURL: String? = nil) { self.publicBaseURL = publicBaseURL }
}

public enum ConstantTime {
    /// Compares secrets without leaking where they differ.
    public static func equal(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8), b = Array(rhs.utf8)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

extension PhoneNumber {
    /// A number from a callback field; nil when absent or not a number.
    static func fromCallback(_ text: String?, _ defaultRegion: String) -> PhoneNumber? {
        text.flatMap { try? PhoneNumber.parse($0, defaultRegion: defaultRegion) }
    }
}
