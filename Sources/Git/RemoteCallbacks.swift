internal import CLibGit2
import Foundation

/// The state libgit2's remote callbacks share, passed to them as an
/// unretained payload (the call that installs the callbacks keeps it alive).
final class RemoteCallbacks {
    let authentication: RemoteAuthentication
    var attempts = 0
    var triedAgent = false
    var rejections: [PushRejection] = []
    /// Why the last credential or host check failed, for the error message.
    var problem: String?
    /// Whether the credential callback stopped after too many refusals
    /// (libgit2's own error text is then about something else).
    var gaveUp = false
    /// The last credential handed to libgit2, named for the error message (never the secret itself).
    var offered: String?
    /// Force pushes allowed only while the remote's reference still points
    /// at the given commit (`git push --force-with-lease`).
    var leases: [String: ObjectID] = [:]
    /// Whether a lease found the remote moved: the push was stopped before sending anything.
    var leaseBroken = false

    init(_ authentication: RemoteAuthentication) { self.authentication = authentication }

    /// Fills libgit2's callback table with this object as payload.
    func install(into callbacks: inout git_remote_callbacks) {
        callbacks.payload = Unmanaged.passUnretained(self).toOpaque()
        callbacks.credentials = { out, url, usernameFromURL, allowedTypes, payload in
            let context = Unmanaged<RemoteCallbacks>.fromOpaque(payload!).takeUnretainedValue()
            return context.credential(out, url.map { String(cString: $0) } ?? "", usernameFromURL.map { String(cString: $0) }, allowedTypes)
        }
        callbacks.certificate_check = { certificate, valid, host, payload in
            let context = Unmanaged<RemoteCallbacks>.fromOpaque(payload!).takeUnretainedValue()
            return context.checkCertificate(certificate, valid != 0, host.map { String(cString: $0) } ?? "")
        }
        callbacks.push_negotiation = { updates, count, payload in
            let context = Unmanaged<RemoteCallbacks>.fromOpaque(payload!).takeUnretainedValue()
            return context.checkLeases(updates, count)
        }
        callbacks.push_update_reference = { reference, status, payload in
            let context = Unmanaged<RemoteCallbacks>.fromOpaque(payload!).takeUnretainedValue()
            if let status {
                context.rejections.append(PushRejection(reference: reference.map { String(cString: $0) } ?? "?", reason: String(cString: status)))
            }
            return 0
        }
    }

    private func credential(_ out: UnsafeMutablePointer<UnsafeMutablePointer<git_credential>?>?, _ url: String, _ userFromURL: String?,
        _ allowed: UInt32) -> Int32 {
        attempts += 1
        guard attempts <= authentication.maximumAttempts else {
            problem = "the remote did not accept \(offered ?? "the credentials") (refused \(authentication.maximumAttempts) times)"
            gaveUp = true
            return GIT_EAUTH.rawValue
        }
        let user = userFromURL ?? authentication.userName ?? "git"
        if allowed & GIT_CREDENTIAL_SSH_KEY.rawValue != 0 {
            if authentication.useSSHAgent && !triedAgent {
                triedAgent = true
                offered = "the keys in the SSH agent for \(user)"
                return git_credential_ssh_key_from_agent(out, user)
            }
            if let privateKey = authentication.sshPrivateKey {
                let publicKey = FileManager.default.fileExists(atPath: privateKey + ".pub") ? privateKey + ".pub" : nil
                offered = "the SSH key \(privateKey) for \(user)"
                return git_credential_ssh_key_new(out, user, publicKey, privateKey, authentication.sshPassphrase)
            }
            problem = "the remote wants an SSH key: start ssh-agent, or set PARLEY_SSH_KEY to a key file"
            return GIT_EAUTH.rawValue
        }
        if allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT.rawValue != 0 {
            guard let token = authentication.token else {
                problem = "the remote wants a user name and token: set PARLEY_GIT_TOKEN (and PARLEY_GIT_USERNAME)"
                return GIT_EAUTH.rawValue
            }
            offered = "the token in PARLEY_GIT_TOKEN"
            return git_credential_userpass_plaintext_new(out, authentication.userName ?? userFromURL ?? "x-access-token", token)
        }
        if allowed & GIT_CREDENTIAL_USERNAME.rawValue != 0 {
            return git_credential_username_new(out, user)
        }
        problem = "no credential of a kind the remote accepts"
        return GIT_EAUTH.rawValue
    }

    /// The remote's current value of each reference, as it told us during
    /// the push, against the lease: a mismatch stops the push.
    private func checkLeases(_ updates: UnsafeMutablePointer<UnsafePointer<git_push_update>?>?, _ count: Int) -> Int32 {
        for index in 0..<count {
            guard let update = updates?[index]?.pointee, let name = update.dst_refname.map({ String(cString: $0) }),
                  let expected = leases[name] else { continue }
            if ObjectID(update.src) != expected {
                leaseBroken = true
                rejections.append(PushRejection(reference: name, reason: "stale info: the remote moved since the last fetch"))
                return GIT_EUSER.rawValue
            }
        }
        return 0
    }

    private func checkCertificate(_ certificate: UnsafeMutablePointer<git_cert>?, _ valid: Bool, _ host: String) -> Int32 {
        guard let certificate, certificate.pointee.cert_type == GIT_CERT_HOSTKEY_LIBSSH2, let check = authentication.trustsHostKey else {
            return GIT_PASSTHROUGH.rawValue
        }
        let hostKey = UnsafeRawPointer(certificate).assumingMemoryBound(to: git_cert_hostkey.self).pointee
        let sha256 = withUnsafeBytes(of: hostKey.hash_sha256) { Data($0) }
        var raw: Data?
        if hostKey.type.rawValue & GIT_CERT_SSH_RAW.rawValue != 0, let key = hostKey.hostkey {
            raw = Data(bytes: key, count: hostKey.hostkey_len)
        }
        if check(host, raw, sha256) { return 0 }
        problem = "the SSH host key of \(host) is not in known_hosts "
            + "(SHA256:\(sha256.base64EncodedString().replacingOccurrences(of: "=", with: ""))); check it, then add it with ssh-keyscan"
        return GIT_ECERTIFICATE.rawValue
    }
}
