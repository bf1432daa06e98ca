import Crypto
import Foundation
import Git
import ParleyCore

/// Builds Git remote authentication from the environment and the
/// credentials file: the SSH agent (`SSH_AUTH_SOCK`), a key file
/// (`PARLEY_SSH_KEY`, else ~/.ssh/id_ed25519 or id_rsa), an https token
/// (`PARLEY_GIT_TOKEN`, `PARLEY_GIT_USERNAME`); SSH hosts must be in
/// known_hosts (`PARLEY_KNOWN_HOSTS`, else ~/.ssh/known_hosts). The
/// command line hands over what it read; the Git types stay in this layer.
public enum RemoteAccess {
    /// `secret` looks a name up in the environment and the credentials file.
    public static func authentication(environment: [String: String], secret: (String) -> String?, remoteURL: String?) -> RemoteAuthentication {
        var authentication = RemoteAuthentication()
        authentication.useSSHAgent = environment["SSH_AUTH_SOCK"].map { !$0.isEmpty } ?? false
        let home = environment["HOME"] ?? NSHomeDirectory()
        authentication.sshPrivateKey = secret("PARLEY_SSH_KEY")
            ?? ["id_ed25519", "id_ecdsa", "id_rsa"].map { "\(home)/.ssh/\($0)" }.first(where: FileManager.default.fileExists(atPath:))
        authentication.sshPassphrase = secret("PARLEY_SSH_PASSPHRASE")
        authentication.userName = secret("PARLEY_GIT_USERNAME")
        authentication.token = secret("PARLEY_GIT_TOKEN")
        let port = remoteURL.flatMap { URLComponents(string: $0)?.port }
        let knownHosts = KnownHosts(path: environment["PARLEY_KNOWN_HOSTS"] ?? "\(home)/.ssh/known_hosts", port: port)
        authentication.trustsHostKey = { host, rawKey, _ in knownHosts.trusts(host: host, rawKey: rawKey) }
        return authentication
    }
}

extension GitMailboxStore {
    /// Authentication for `remote` of this repository (see `RemoteAccess`).
    public func remoteAuthentication(remote: String, environment: [String: String], secret: (String) -> String?) -> RemoteAuthentication {
        RemoteAccess.authentication(environment: environment, secret: secret, remoteURL: remoteURL(remote))
    }
}

/// Reads OpenSSH's known_hosts: plain and hashed (`|1|salt|hash`) host
/// names, with or without `[host]:port`.
struct KnownHosts: Sendable {
    let path: String
    /// The remote's SSH port when it is not 22: entries then read `[host]:port`.
    let port: Int?

    func trusts(host: String, rawKey: Data?) -> Bool {
        guard let rawKey, let text = FileManager.default.contents(atPath: path).map({ String(decoding: $0, as: UTF8.self) }) else { return false }
        let key = rawKey.base64EncodedString()
        let names: Set<String> = port.map { $0 == 22 ? [host] : ["[\(host)]:\($0)"] } ?? [host]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: " ")
            guard fields.count >= 3, String(fields[2]) == key else { continue }
            for pattern in fields[0].split(separator: ",") {
                if names.contains(String(pattern)) || names.contains(where: { matchesHashed(String(pattern), $0) }) { return true }
            }
        }
        return false
    }

    private func matchesHashed(_ pattern: String, _ name: String) -> Bool {
        let parts = pattern.split(separator: "|")
        guard pattern.hasPrefix("|1|"), parts.count == 3, let salt = Data(base64Encoded: String(parts[1])) else { return false }
        let code = HMAC<Insecure.SHA1>.authenticationCode(for: Data(name.utf8), using: SymmetricKey(data: salt))
        return Data(code).base64EncodedString() == parts[2]
    }
}
