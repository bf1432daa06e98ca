import Foundation

/// IP addresses compared by value, not by spelling: `::ffff:127.0.0.1`
/// (how an IPv4 caller appears on a server bound to `::`) is 127.0.0.1,
/// and `0:0:0:0:0:0:0:1` is `::1`.
public struct AddressAllowlist: Sendable {
    private let addresses: Set<[UInt8]>

    /// Nil when one of `texts` is not an IP address.
    public init?(_ texts: some Sequence<String>) {
        var addresses: Set<[UInt8]> = []
        for text in texts {
            guard let bytes = Self.canonicalBytes(text) else { return nil }
            addresses.insert(bytes)
        }
        self.addresses = addresses
    }

    public func contains(_ address: String?) -> Bool {
        guard let address, let bytes = Self.canonicalBytes(address) else { return false }
        return addresses.contains(bytes)
    }

    /// Whether binding to `host` keeps the server on this machine.
    public static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" { return true }
        guard let bytes = canonicalBytes(host) else { return false }
        return bytes.count == 4 ? bytes[0] == 127 : bytes == Array(repeating: 0, count: 15) + [1]
    }

    /// Four bytes for IPv4 (also when written as an IPv4-mapped IPv6
    /// address), sixteen for IPv6; nil for anything else.
    public static func canonicalBytes(_ text: String) -> [UInt8]? {
        let trimmed = text.hasPrefix("[") && text.hasSuffix("]") ? String(text.dropFirst().dropLast()) : text
        var v4 = in_addr()
        if inet_pton(AF_INET, trimmed, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, trimmed, &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF { return Array(bytes[12...]) }
        return bytes
    }
}
