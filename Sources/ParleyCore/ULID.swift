import Foundation

/// A ULID: 48 bits of milliseconds then 80 random bits, in Crockford
/// base32. Outbound messages and events get one before anything leaves the
/// machine, so retries carry the same id and file names sort by time.
public struct ULID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let string: String

    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    /// Ten random bytes from two draws of the system generator (one
    /// `getrandom` each), not ten: ingest makes several ULIDs per message.
    public static func randomBytes() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() as UInt64, low = generator.next() as UInt16
        return withUnsafeBytes(of: high) { Array($0) } + withUnsafeBytes(of: low) { Array($0) }
    }

    public init(time: Date, randomBytes: [UInt8] = ULID.randomBytes()) {
        precondition(randomBytes.count == 10, "a ULID has 80 random bits")
        let milliseconds = UInt64(max(0, time.timeIntervalSince1970 * 1000).rounded(.down))
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: milliseconds >> (8 * (5 - index))) }
        bytes.replaceSubrange(6..<16, with: randomBytes)
        // 128 bits as 26 base-32 digits: the first digit carries 3 bits, the rest 5 each.
        var characters: [Character] = []
        characters.reserveCapacity(26)
        let high = bytes[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let low = bytes[8..<16].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        for digit in 0..<26 {
            let shift = 125 - 5 * digit  // bit offset of this digit from the least significant end
            let value: UInt64
            if shift >= 64 {
                value = high >> UInt64(shift - 64)
            } else if shift > 59 {
                value = (high << UInt64(64 - shift)) | (low >> UInt64(shift))
            } else {
                value = low >> UInt64(shift)
            }
            characters.append(Self.alphabet[Int(value & 0x1F)])
        }
        string = String(characters)
    }

    /// Accepts a 26-character Crockford base32 ULID (case-insensitive).
    public init?(_ text: String) {
        let upper = text.uppercased()
        guard upper.count == 26, upper.allSatisfy({ Self.alphabet.contains($0) }), let first = upper.first, first <= "7" else {
            return nil
        }
        string = upper
    }

    /// A ULID for `time` that sorts after `previous`: when `previous` is from
    /// the same millisecond or later (a pinned clock, a fast writer), it is
    /// `previous` plus one, so events made in order stay in order.
    public static func after(_ previous: ULID?, time: Date) -> ULID {
        let candidate = ULID(time: time)
        guard let previous, previous >= candidate else { return candidate }
        var digits = Array(previous.string)
        var index = digits.count - 1
        while index >= 0 {
            let value = alphabet.firstIndex(of: digits[index])!
            if value < 31 {
                digits[index] = alphabet[value + 1]
                break
            }
            digits[index] = alphabet[0]
            index -= 1
        }
        return ULID(validated: String(digits))
    }

    private init(validated string: String) { self.string = string }

    /// The millisecond timestamp encoded in the first ten characters.
    public var time: Date {
        let milliseconds = string.prefix(10).reduce(UInt64(0)) { value, character in
            value << 5 | UInt64(Self.alphabet.firstIndex(of: character)!)
        }
        return Date(timeIntervalSince1970: TimeInterval(milliseconds) / 1000)
    }

    public var description: String { string }
    public static func < (lhs: ULID, rhs: ULID) -> Bool { lhs.string < rhs.string }
}
