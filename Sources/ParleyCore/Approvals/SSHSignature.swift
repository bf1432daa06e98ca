import Crypto
import Foundation

/// SSH signatures of commits, as `git commit -S` with `gpg.format=ssh`
/// makes and `git verify-commit` checks them (OpenSSH's SSHSIG format,
/// namespace `git`): an approval counts under `review.require_signed` only
/// in a commit signed by a key the repository's `allowed_signers` lists for
/// the approver. Ed25519 keys only, the kind `ssh-keygen -t ed25519` makes.
public enum SSHSignature {
    static let namespace = "git"

    /// An Ed25519 private key from an OpenSSH private key file without a passphrase.
    public struct SigningKey: Sendable {
        /// The 32-byte seed (kept as bytes: the key type is not `Sendable`).
        let seed: Data
        private var key: Curve25519.Signing.PrivateKey { (try? Curve25519.Signing.PrivateKey(rawRepresentation: seed))! }

        public init(openSSHPrivateKey text: String) throws(ParleyError) {
            let body = text.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
            guard var reader = Data(base64Encoded: body).map(SSHReader.init),
                  reader.bytes(15) == Data("openssh-key-v1\0".utf8) else {
                throw .invalidInput("the signing key is not an OpenSSH private key (ssh-keygen -t ed25519 makes one)")
            }
            guard let cipher = reader.string(), cipher == Data("none".utf8) else {
                throw .invalidInput("the signing key has a passphrase; Parley signs only with a key without one")
            }
            _ = reader.string(); _ = reader.string()  // kdf name and options
            guard reader.uint32() == 1, reader.string() != nil, var secret = reader.string().map(SSHReader.init),
                  secret.uint32() == secret.uint32(), secret.string() == Data("ssh-ed25519".utf8), secret.string() != nil,
                  let pair = secret.string(), pair.count == 64,
                  (try? Curve25519.Signing.PrivateKey(rawRepresentation: pair.prefix(32))) != nil else {
                throw .invalidInput("the signing key is not an Ed25519 key; make one with ssh-keygen -t ed25519")
            }
            seed = Data(pair.prefix(32))
        }

        /// `ssh-ed25519` and the public key, as SSH writes a public key blob.
        var publicKeyBlob: Data { SSHSignature.publicKeyBlob(key.publicKey.rawRepresentation) }

        /// The armored signature of `data` for the `git` namespace.
        public func sign(_ data: Data) throws(ParleyError) -> String {
            guard let signature = try? key.signature(for: SSHSignature.signedBlob(data, hash: "sha512")) else {
                throw .storage("could not sign the commit")
            }
            var blob = Data("SSHSIG".utf8)
            blob.appendUInt32(1)
            blob.appendString(publicKeyBlob)
            blob.appendString(Data(SSHSignature.namespace.utf8))
            blob.appendString(Data())
            blob.appendString(Data("sha512".utf8))
            var signatureBlob = Data()
            signatureBlob.appendString(Data("ssh-ed25519".utf8))
            signatureBlob.appendString(signature)
            blob.appendString(signatureBlob)
            let lines = stride(from: 0, to: blob.base64EncodedString().count, by: 70).map { start in
                let text = blob.base64EncodedString()
                return String(text.dropFirst(start).prefix(70))
            }
            return (["-----BEGIN SSH SIGNATURE-----"] + lines + ["-----END SSH SIGNATURE-----"]).joined(separator: "\n")
        }
    }

    /// Whether `armored` is a valid `git`-namespace signature of `data` by a
    /// key `allowedSigners` (git's `gpg.ssh.allowedSignersFile` format) lists for `principal`.
    public static func verify(_ armored: String, of data: Data, allowedSigners: String, principal: String) -> Bool {
        let body = armored.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        guard var reader = Data(base64Encoded: body).map(SSHReader.init), reader.bytes(6) == Data("SSHSIG".utf8), reader.uint32() == 1,
              let publicKey = reader.string(), reader.string() == Data(namespace.utf8), reader.string() != nil,
              let hash = reader.string().flatMap({ String(data: $0, encoding: .utf8) }), hash == "sha512" || hash == "sha256",
              var signatureBlob = reader.string().map(SSHReader.init), signatureBlob.string() == Data("ssh-ed25519".utf8),
              let signature = signatureBlob.string(), allowedKeys(allowedSigners, for: principal).contains(publicKey) else { return false }
        var keyReader = SSHReader(publicKey)
        guard keyReader.string() == Data("ssh-ed25519".utf8), let raw = keyReader.string(),
              let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else { return false }
        return key.isValidSignature(signature, for: signedBlob(data, hash: hash))
    }

    /// The public key blobs `allowedSigners` lists for `principal` (patterns with `*` match as globs).
    static func allowedKeys(_ allowedSigners: String, for principal: String) -> [Data] {
        allowedSigners.split(separator: "\n").compactMap { line -> Data? in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard fields.count >= 3, !fields[0].hasPrefix("#"),
                  fields[0].split(separator: ",").contains(where: { matches(String($0), principal) }),
                  let typeIndex = fields.firstIndex(of: "ssh-ed25519"), typeIndex + 1 < fields.count,
                  let raw = Data(base64Encoded: fields[typeIndex + 1]) else { return nil }
            return raw
        }
    }

    private static func matches(_ pattern: String, _ principal: String) -> Bool {
        guard pattern.contains("*") else { return pattern.lowercased() == principal.lowercased() }
        let parts = pattern.lowercased().split(separator: "*", omittingEmptySubsequences: false)
        var rest = Substring(principal.lowercased())
        for (index, part) in parts.enumerated() {
            if index == 0 { guard rest.hasPrefix(part) else { return false }; rest = rest.dropFirst(part.count); continue }
            guard let range = rest.range(of: part) else { return false }
            rest = rest[range.upperBound...]
        }
        return parts.last?.isEmpty == true || rest.isEmpty
    }

    static func publicKeyBlob(_ raw: Data) -> Data {
        var blob = Data()
        blob.appendString(Data("ssh-ed25519".utf8))
        blob.appendString(raw)
        return blob
    }

    /// What SSHSIG signs: the magic, the namespace, the hash algorithm and the message's hash.
    static func signedBlob(_ data: Data, hash: String) -> Data {
        var blob = Data("SSHSIG".utf8)
        blob.appendString(Data(namespace.utf8))
        blob.appendString(Data())
        blob.appendString(Data(hash.utf8))
        blob.appendString(hash == "sha256" ? Data(SHA256.hash(data: data)) : Data(SHA512.hash(data: data)))
        return blob
    }
}

/// Reads SSH's wire encoding: big-endian lengths before byte strings.
struct SSHReader {
    private let data: Data
    private var offset = 0

    init(_ data: Data) { self.data = Data(data) }

    mutating func bytes(_ count: Int) -> Data? {
        guard count >= 0, offset + count <= data.count else { return nil }
        defer { offset += count }
        return data.subdata(in: offset..<offset + count)
    }

    mutating func uint32() -> UInt32? {
        bytes(4).map { $0.reduce(0) { $0 << 8 | UInt32($1) } }
    }

    mutating func string() -> Data? {
        guard let length = uint32(), length < 1 << 24 else { return nil }
        return bytes(Int(length))
    }
}

extension Data {
    mutating func appendUInt32(_ value: UInt32) {
        append(contentsOf: [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)])
    }

    mutating func appendString(_ bytes: Data) {
        appendUInt32(UInt32(bytes.count))
        append(bytes)
    }
}
