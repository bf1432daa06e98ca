import Foundation
import ParleyCore

/// `application/x-www-form-urlencoded` as providers send and expect it.
/// Unlike Foundation's `URLComponents.queryItems`, a `+` decodes to a space;
/// repeated keys and their order are kept; and the decoded bytes are
/// exactly the bytes sent—a leading U+FEFF or a CR LF stays—because a
/// signature covers what arrived, not a normalised copy.
public enum FormEncoding {
    public static func decode(_ text: String) -> [(String, String)] {
        text.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (unescape(parts[0]), parts.count > 1 ? unescape(parts[1]) : "")
        }
    }

    public static func encode(_ pairs: [(String, String)]) -> String {
        pairs.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
    }

    /// The values of the fields Parley reads, by name. A request that
    /// repeats one of them is refused: a signature covers every value, so
    /// which one Parley took could be changed without breaking it.
    public static func fields(_ pairs: [(String, String)], reading names: Set<String>) throws(ParleyError) -> [String: String] {
        var fields: [String: String] = [:]
        for (name, value) in pairs where names.contains(name) {
            guard fields[name] == nil else { throw .invalidInput("the field '\(name)' is repeated; each field Parley reads must appear once") }
            fields[name] = value
        }
        return fields
    }

    /// Percent-decoding over bytes; `%` not followed by two hex digits is
    /// kept as it is; bytes that are not UTF-8 become U+FFFD.
    private static func unescape(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var input = text.utf8[...]
        while let byte = input.popFirst() {
            switch byte {
            case UInt8(ascii: "+"):
                bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                if input.count >= 2, let high = hexValue(input[input.startIndex]), let low = hexValue(input[input.index(after: input.startIndex)]) {
                    bytes.append(high << 4 | low)
                    input = input.dropFirst(2)
                } else {
                    bytes.append(byte)
                }
            default:
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    public static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }
}
