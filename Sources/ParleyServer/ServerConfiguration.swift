import Foundation

/// How `parley serve` listens and whom it believes.
public struct ServerConfiguration: Sendable {
    /// 127.0.0.1 unless told otherwise: put a TLS proxy in front to expose it.
    public var host = "127.0.0.1"
    public var port = 8080
    /// The public URL providers call (`https://hooks.example.com`): Twilio
    /// signs that URL, never the Host header.
    public var publicBaseURL: String?
    /// Requests with larger bodies are refused with 413.
    public var bodyLimit = 64 * 1024
    /// Twilio's auth token, to check `X-Twilio-Signature`; nil refuses Twilio webhooks.
    public var twilioAuthToken: String?
    /// The per-install secret in Kannel's callback URLs (`k=`); nil refuses Kannel webhooks.
    public var kannelSecret: String?
    /// Addresses Kannel's callbacks may come from.
    public var kannelAllowedAddresses: Set<String> = ["127.0.0.1", "::1"]
    /// A connection that sends nothing (no request, or headers that never
    /// finish) for this long is closed, so idle sockets cannot pile up.
    public var idleTimeout: TimeInterval = 10
    /// How often scheduled messages are sent (0: never).
    public var flushInterval: TimeInterval = 60

    public init() {}
}
