import Foundation
import Hummingbird
import NIOCore

/// A loopback HTTP endpoint that records the bodies POSTed to it and answers
/// with a status a test chooses: a stand-in for a chat's incoming webhook.
public final class WebhookReceiver: @unchecked Sendable {
    private let lock = NSLock()
    private var bodies: [String] = []
    private var status: HTTPResponse.Status = .ok
    private var task: Task<Void, any Error>?
    public private(set) var port = 0

    public init() {}

    public var received: [String] { lock.withLock { bodies } }
    public var url: String { "http://127.0.0.1:\(port)/hooks/T000/B000/secret" }

    /// Answers every later request with `code` (e.g. 500 for a failing chat).
    public func answer(_ code: Int) { lock.withLock { status = HTTPResponse.Status(code: code) } }

    public func start() async throws {
        let router = Router()
        router.post("/hooks/**") { request, _ -> Response in
            var request = request
            let body = String(buffer: try await request.collectBody(upTo: 1 << 16))
            return self.lock.withLock {
                if self.status == .ok { self.bodies.append(body) }
                return Response(status: self.status)
            }
        }
        (task, port) = await LoopbackServer.start(router)
    }

    public func stop() { task?.cancel() }
}
