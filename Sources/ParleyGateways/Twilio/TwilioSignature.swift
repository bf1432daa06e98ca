import Crypto
import Foundation

/// `X-Twilio-Signature`: base64(HMAC-SHA1(auth token, URL + every parameter
/// name and value, sorted)), computed the way Twilio's own validator does.
/// The URL is the public one Twilio called (from configuration, never from
/// the Host header), tried with and without its default port.
public enum TwilioSignature {
    public static func compute(url: String, parameters: [(String, String)], authToken: String) -> String {
        var data = url
        var byName: [String: Set<String>] = [:]
        for (name, value) in parameters { byName[name, default: []].insert(value) }
        for name in byName.keys.sorted() {
            for value in byName[name]!.sorted() { data += name + value }
        }
        let code = HMAC<Insecure.SHA1>.authenticationCode(for: Data(data.utf8), using: SymmetricKey(data: Data(authToken.utf8)))
        return Data(code).base64EncodedString()
    }

    /// Whether `signature` matches, comparing in constant time.
    public static func isValid(_ signature: String?, url: String, parameters: [(String, String)], authToken: String) -> Bool {
        guard let signature, let given = Data(base64Encoded: signature) else { return false }
        for candidate in urlVariants(url) {
            guard let expected = Data(base64Encoded: compute(url: candidate, parameters: parameters, authToken: authToken)) else { continue }
            if constantTimeEqual(given, expected) { return true }
        }
        return false
    }

    static func urlVariants(_ url: String) -> [String] {
        guard var components = URLComponents(string: url), let scheme = components.scheme else { return [url] }
        let defaultPort = scheme == "https" ? 443 : 80
        var variants = [url]
        if components.port == nil {
            components.port = defaultPort
            if let withPort = components.string { variants.append(withPort) }
        } else if components.port == defaultPort {
            components.port = nil
            if let withoutPort = components.string { variants.append(withoutPort) }
        }
        return variants
    }

    static func constantTimeEqual(_ lhs: Data, _ rhs: Data) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(lhs, rhs) { difference |= a ^ b }
        return difference == 0
    }
}
