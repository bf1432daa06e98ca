import Crypto
import Foundation

/// Vonage's signed SMS webhooks: `sig` is the hex HMAC, under the
/// account's signature secret, of every other parameter as
/// `&name=value`, names sorted, with `&` and `=` in values replaced by `_`
/// (how Vonage's client libraries compute it). The dashboard picks the
/// algorithm; the plain "MD5 hash" is refused as too weak to trust.
public enum VonageSignature {
    public enum Method: String, Sendable, CaseIterable { case md5, sha1, sha256, sha512 }

    public static func compute(_ parameters: [(String, String)], secret: String, method: Method) -> String {
        var text = ""
        for (name, value) in parameters.filter({ $0.0 != "sig" }).sorted(by: { $0.0 < $1.0 }) {
            text += "&\(name)=" + value.replacingOccurrences(of: "&", with: "_").replacingOccurrences(of: "=", with: "_")
        }
        let key = SymmetricKey(data: Data(secret.utf8))
        let data = Data(text.utf8)
        let code: [UInt8]
        switch method {
        case .md5: code = Array(HMAC<Insecure.MD5>.authenticationCode(for: data, using: key))
        case .sha1: code = Array(HMAC<Insecure.SHA1>.authenticationCode(for: data, using: key))
        case .sha256: code = Array(HMAC<SHA256>.authenticationCode(for: data, using: key))
        case .sha512: code = Array(HMAC<SHA512>.authenticationCode(for: data, using: key))
        }
        return code.hexString
    }

    public static func isValid(_ parameters: [(String, String)], secret: String, method: Method) -> Bool {
        let given = parameters.filter { $0.0 == "sig" }
        guard given.count == 1 else { return false }
        return ConstantTime.equal(given[0].1.lowercased(), compute(parameters, secret: secret, method: method))
    }
}
