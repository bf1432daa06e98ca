import Foundation

/// How to authenticate to a remote and which SSH hosts to trust, supplied
/// by the caller (the command line reads the environment and files).
public struct RemoteAuthentication: Sendable {
    /// Try the SSH agent (`SSH_AUTH_SOCK`) first.
    public var useSSHAgent = false
    /// An SSH private key file; its public half is read from `KEY.pub` when present.
    public var sshPrivateKey: String?
    public var sshPassphrase: String?
    /// For https: a user name and a token (or password).
    public var userName: String?
    public var token: String?
    /// libgit2 asks again after a refused credential; it gives up after this many.
    public var maximumAttempts = 3
    /// Whether an SSH host key is trusted: host, the key's raw bytes (nil
    /// when the transport did not give them) and its SHA-256. Nil leaves
    /// the decision to libgit2.
    public var trustsHostKey: (@Sendable (_ host: String, _ rawKey: Data?, _ sha256: Data) -> Bool)?

    public init() {}
}

/// A reference the remote refused to update during a push, with its reason.
public struct PushRejection: Sendable, Equatable, CustomStringConvertible {
    public let reference: String
    public let reason: String

    public init(reference: String, reason: String) {
        self.reference = reference
        self.reason = reason
    }

    public var description: String { "\(reference): \(reason)" }
}
