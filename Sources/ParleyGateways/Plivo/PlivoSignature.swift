import Crypto
import Foundation

/// `X-Plivo-Signature-V3`: base64(HMAC-SHA256(auth token, URL + "." + nonce)),
/// where for a POST the URL is followed by every posted parameter (name
/// then value, sorted) the way Plivo's own validator builds it. The header
/// may list several signatures, comma-separated (account and subaccount).
public enum PlivoSignature {
    public static func compute(method: String, url: String, parameters: [(String, String)], nonce: String, authToken: String) -> String {
        let signed = method.uppercased() == "GET" ? getURL(url, extra: parameters, emptyPost: true) : postURL(url, parameters: parameters)
        let code = HMAC<SHA256>.authenticationCode(for: Data("\(signed).\(nonce)".utf8), using: SymmetricKey(data: Data(authToken.utf8)))
        return Data(code).base64EncodedString()
    }

    public static func isValid(_ header: String?, method: String, url: String, parameters: [(String, String)], nonce: String?,
                               authToken: String) -> Bool {
        guard let header, let nonce, !nonce.isEmpty else { return false }
        let expected = compute(method: method, url: url, parameters: parameters, nonce: nonce, authToken: authToken)
        return header.split(separator: ",").contains { ConstantTime.equal($0.trimmingCharacters(in: .whitespaces), expected) }
    }

    /// scheme://host/path, then `?` and the query's pairs sorted (values decoded) when there are any or parameters follow;
    /// a `.` separates a query from the parameters.
    static func getURL(_ url: String, extra: [(String, String)], emptyPost: Bool) -> String {
        let components = URLComponents(string: url)
        var base = url
        if let components, let scheme = components.scheme, let host = components.host {
            base = "\(scheme)://\(host)\(components.port.map { ":\($0)" } ?? "")\(components.path)"
        }
        let query = sortedGrouped(extra + FormEncoding.decode(components?.percentEncodedQuery ?? "")).flatMap { name, values in
            values.map { "\(name)=\($0)" }
        }.joined(separator: "&")
        if !query.isEmpty || !emptyPost { base += "?" + query }
        if !query.isEmpty && !emptyPost { base += "." }
        return base
    }

    static func postURL(_ url: String, parameters: [(String, String)]) -> String {
        getURL(url, extra: [], emptyPost: parameters.isEmpty)
            + sortedGrouped(parameters).map { name, values in values.map { name + $0 }.joined() }.joined()
    }

    private static func sortedGrouped(_ pairs: [(String, String)]) -> [(String, [String])] {
        var byName: [String: [String]] = [:]
        for (name, value) in pairs { byName[name, default: []].append(value) }
        return byName.keys.sorted().map { ($0, byName[$0]!.sorted()) }
    }
}
