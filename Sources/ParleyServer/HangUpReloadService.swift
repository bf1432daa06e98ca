import Dispatch
import Foundation
import Logging
import ParleyCore
import ServiceLifecycle

/// Reloads the mailbox's settings and templates on SIGHUP, the way daemons
/// do, without stopping the server: requests keep being answered, the
/// group commit in progress finishes with the old settings and the next
/// one uses the new. A `parley.yaml` that no longer parses is refused and
/// the old settings stay. Webhook secrets and URLs are read at start only.
struct HangUpReloadService: Service {
    let logger: Logger
    let reload: @Sendable () async throws -> Mailbox

    func run() async throws {
        signal(SIGHUP, SIG_IGN)
        let (hangUps, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        source.setEventHandler { continuation.yield() }
        source.resume()
        defer { source.cancel() }
        await cancelWhenGracefulShutdown {
            for await _ in hangUps {
                do {
                    let mailbox = try await reload()
                    logger.notice("reloaded the settings on SIGHUP", metadata: ["business": "\(mailbox.config.businessName)"])
                } catch {
                    logger.error("SIGHUP: the settings were not reloaded; the old ones stay", metadata: ["problem": "\(error)"])
                }
            }
        }
    }
}
