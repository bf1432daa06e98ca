import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import ParleyCore

/// Tells apart an HTTP failure before the request could have reached the
/// provider (nothing sent: safe to retry) from one after (the message may
/// have gone out: in doubt, never retried blindly).
enum HTTPFailure {
    static func classify(_ error: any Error, provider: String) -> GatewayError {
        if error is NIOConnectionError {
            return .unavailable(message: "cannot connect to \(provider): \(error)", retryAfter: nil)
        }
        if let httpError = error as? HTTPClientError, httpError == .connectTimeout {
            return .unavailable(message: "connecting to \(provider) timed out", retryAfter: nil)
        }
        if let ioError = error as? IOError, [ECONNREFUSED, ENETUNREACH, EHOSTUNREACH].contains(ioError.errnoCode) {
            return .unavailable(message: "\(provider) refused the connection", retryAfter: nil)
        }
        if let channelError = error as? ChannelError, case .connectTimeout = channelError {
            return .unavailable(message: "connecting to \(provider) timed out", retryAfter: nil)
        }
        return .ambiguous(message: "\(provider) did not answer (\(error)) after the request was sent")
    }

    /// Seconds from a `Retry-After` header, when it holds a number.
    static func retryAfter(_ headers: HTTPHeaders) -> TimeInterval? {
        headers.first(name: "Retry-After").flatMap(TimeInterval.init)
    }
}
