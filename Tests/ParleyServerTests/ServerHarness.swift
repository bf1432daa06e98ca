import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import ParleyCore
import ParleyGateways
import ParleyGitStore
import ParleyServer
import ParleyTestSupport
import ServiceLifecycle
import Testing

/// A mailbox in a temporary Git repository with `parley serve`'s
/// application running on a free loopback port.
final class ServerHarness: @unchecked Sendable {
    static let twilioToken = "test-auth-token"
    static let kannelSecret = "kannel-secret"
    static let publicBase = "https://hooks.brightsmile.example"

    let directory = TemporaryDirectory("server")
    let store: GitMailboxStore
    let mailbox: Mailbox
    var port = 0
    private var task: Task<Void, any Error>?
    private var group: ServiceGroup?

    /// `now` pins the clock; nil follows the real one, for peers that stamp real times.
    init(gateway settings: MailboxConfig.GatewaySettings = .init(), now: String? = "2026-03-09T10:00:00-05:00",
         configure: (inout MailboxConfig) -> Void = { _ in }) throws {
        store = try GitMailboxStore.create(at: directory.path)
        var config = Fixtures.config
        config.gateway = settings
        configure(&config)
        mailbox = try Mailbox.initialize(store: store, config: config, skeleton: DefaultSkeleton.mailboxFiles,
                                         clock: ParleyClock(fixed: now.map { Timestamp.parse($0)! }), agent: Fixtures.agent)
    }

    /// The server's own clone of a mailbox a team shares.
    init(clone path: String, now: String = "2026-03-09T10:00:00-05:00") throws {
        store = try #require(try GitMailboxStore.open(at: path))
        mailbox = try Mailbox.open(store: store, clock: ParleyClock(fixed: Timestamp.parse(now)!), agent: Fixtures.agent, location: path)
    }

    func start(gateway: (any Gateway)? = nil, port requested: Int = 0, services: [PeriodicService] = [],
               configure: (inout ServerConfiguration) -> Void = { _ in }) async throws {
        var configuration = ServerConfiguration()
        configuration.port = requested
        configuration.webhooks = [
            TwilioWebhooks(authToken: Self.twilioToken, publicBaseURL: Self.publicBase), KannelWebhooks(secret: Self.kannelSecret),
        ]
        configuration.flushInterval = 0
        configure(&configuration)
        var logger = Logger(label: "test.server")
        logger.logLevel = .warning
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = ParleyServer.buildApplication(mailbox: mailbox, gateway: gateway, configuration: configuration, logger: logger,
                                                services: services) { bound in
            continuation.yield(bound)
        }
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        self.group = group
        task = Task { try await group.run() }
        for await bound in stream { port = bound; break }
    }

    func stop() { task?.cancel() }

    /// What SIGTERM does: stop taking requests, finish the work in flight, return.
    func shutDownGracefully() async throws {
        await group?.triggerGracefulShutdown()
        try await task?.value
    }

    /// Every commit on the checked-out branch; an unreadable history fails the test.
    func commitCount() throws -> Int { try store.history(touching: [], limit: nil).count }

    /// POSTs a form signed the way Twilio signs it (with the official package when `official`).
    func postTwilio(_ path: String, _ parameters: [(String, String)], signature: String? = nil, official: Bool = true) async throws -> (Int, String) {
        let url = Self.publicBase + path
        let signed = try signature ?? (official ? Peers.twilioSignature(url: url, parameters: parameters, authToken: Self.twilioToken)
                                                 : TwilioSignature.compute(url: url, parameters: parameters, authToken: Self.twilioToken))
        return try await post(path, body: FormEncoding.encode(parameters), headers: ["X-Twilio-Signature": signed, "Content-Type": "application/x-www-form-urlencoded"])
    }

    func post(_ path: String, body: String, headers: [String: String] = [:]) async throws -> (Int, String) {
        try await post(path, bytes: Array(body.utf8), headers: headers)
    }

    func post(_ path: String, bytes: [UInt8], headers: [String: String] = [:]) async throws -> (Int, String) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: bytes))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        return (Int(response.status.code), String(buffer: try await response.body.collect(upTo: 1 << 20)))
    }

    func get(_ path: String) async throws -> (Int, String) {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)"), timeout: .seconds(30))
        return (Int(response.status.code), String(buffer: try await response.body.collect(upTo: 1 << 20)))
    }
}
