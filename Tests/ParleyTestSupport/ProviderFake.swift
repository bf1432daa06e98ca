import Foundation
import Hummingbird
import NIOCore

/// What the REST stand-ins of Telnyx, Plivo, Vonage and Bandwidth share: a
/// loopback server, the messages created, and per-number behaviours (an
/// error body, a slow answer, a few 503s). Each provider's file adds the
/// routes and the request and response shapes of its published API.
public class ProviderFake: @unchecked Sendable {
    public struct Created: @unchecked Sendable {
        public let id: String
        public let to: String
        public let from: String
        public let body: String
        /// The request as the provider saw it (JSON fields or form pairs), for the tests to read what Parley sent.
        public let request: [String: Any]
        public let headers: [String: String]
        public let json: [String: Any]
    }

    public enum Behaviour: @unchecked Sendable {
        /// Answer with this status and provider-shaped body instead of creating the message.
        case error(status: Int, body: [String: Any])
        /// Create the message, then wait this long before answering.
        case slow(seconds: Double)
        /// Answer 503 this many times, then create it.
        case unavailable(times: Int)
    }

    let lock = NSLock()
    private var messages: [Created] = []
    private var behaviours: [String: Behaviour] = [:]
    private var unavailableLeft: [String: Int] = [:]
    private var task: Task<Void, any Error>?
    public private(set) var port = 0

    public init() {}

    public var created: [Created] { lock.withLock { messages } }
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    public func behave(_ behaviour: Behaviour, for to: String) {
        lock.withLock {
            behaviours[to] = behaviour
            if case .unavailable(let times) = behaviour { unavailableLeft[to] = times }
        }
    }

    func routes(_ router: Router<BasicRequestContext>) {}

    public func start() async throws {
        let router = Router()
        routes(router)
        (task, port) = await LoopbackServer.start(router)
    }

    public func stop() { task?.cancel() }

    /// Nil to go on creating; otherwise the answer the behaviour for `to` asks for.
    func interception(for to: String, unavailable: [String: Any]) -> Response? {
        let behaviour: Behaviour? = lock.withLock { behaviours[to] }
        switch behaviour {
        case .error(let status, let body)?:
            return respond(status, body)
        case .unavailable?:
            let fail = lock.withLock { () -> Bool in
                let left = unavailableLeft[to] ?? 0
                unavailableLeft[to] = left - 1
                return left > 0
            }
            return fail ? respond(503, unavailable) : nil
        default:
            return nil
        }
    }

    /// Records the message and waits when the behaviour says to answer slowly.
    func record(_ message: Created) async throws {
        lock.withLock { messages.append(message) }
        let behaviour: Behaviour? = lock.withLock { behaviours[message.to] }
        if case .slow(let seconds)? = behaviour { try await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000)) }
    }

    func headers(_ request: Request) -> [String: String] {
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        return headers
    }

    func jsonBody(_ request: Request) async throws -> [String: Any]? {
        var request = request
        let body = try await request.collectBody(upTo: 1 << 20)
        return try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any]
    }

    func formBody(_ request: Request) async throws -> [String: String] {
        var request = request
        return Self.form(String(buffer: try await request.collectBody(upTo: 1 << 20)))
    }

    static func form(_ text: String) -> [String: String] {
        var form: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0) }
            form[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        return form
    }

    func basic(_ user: String, _ password: String) -> String { "Basic " + Data("\(user):\(password)".utf8).base64EncodedString() }

    static func newID() -> String { UUID().uuidString.lowercased() }

    func respond(_ status: Int, _ object: Any) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return Response(status: .init(code: status), headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
