import Foundation
import Hummingbird
import NIOCore

/// Runs a Hummingbird router on 127.0.0.1 at a free port, for the test
/// stand-ins (a provider's API, a chat's webhook); cancel the task to stop it.
public enum LoopbackServer {
    public static func start(_ router: Router<BasicRequestContext>) async -> (task: Task<Void, any Error>, port: Int) {
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) })
        let task = Task { try await app.runService(gracefulShutdownSignals: []) }
        for await bound in stream { return (task, bound) }
        return (task, 0)
    }
}
