import Foundation
import Synchronization

/// A phone number in E.164 form (`+15550100123`). The only way to get one
/// is through validation, so any `PhoneNumber` is safe to turn into a path.
public struct PhoneNumber: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    /// `+` followed by 8 to 15 digits.
    public let e164: String
    public let countryCode: Int

    /// Normalizes what people type — `(555) 010-0123` with a default
    /// country, `+44 20 7946 0958`, `00 44 …`, `011 44 …` — to E.164, and
    /// rejects numbers the numbering plan does not allow.
    /// Whether `region` is an ISO 3166 code the numbering metadata covers.
    public static func isKnownRegion(_ region: String) -> Bool {
        PhoneMetadata.regions[region.uppercased()] != nil
    }

    public static func parse(_ input: String, defaultRegion: String = "US") throws(PhoneNumberError) -> PhoneNumber {
        let trimmed = input.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .empty }
        let allowed = CharacterSet(charactersIn: "0123456789+ -.()/\u{2010}\u{2011}\u{2012}\u{2013}\u{2014}\u{2212}\u{00A0}")
        if let bad = trimmed.unicodeScalars.first(where: { !allowed.contains($0) }) {
            throw .invalidCharacter(input, Character(bad))
        }
        let plusCount = trimmed.filter { $0 == "+" }.count
        guard plusCount == 0 || (plusCount == 1 && trimmed.hasPrefix("+")) else { throw .misplacedPlus(input) }
        let digits = trimmed.filter(\.isASCIIDigit)
        guard !digits.isEmpty else { throw .empty }

        if trimmed.hasPrefix("+") {
            return try international(digits, input: input)
        }
        guard let region = PhoneMetadata.regions[defaultRegion.uppercased()] else {
            throw .unknownRegion(defaultRegion)
        }
        if let length = region.internationalPrefix?.prefixLength(in: digits), length > 0, length < digits.count {
            return try international(String(digits.dropFirst(length)), input: input)
        }
        return try national(digits, region: region, input: input)
    }

    /// Accepts only an already normalized E.164 string (as stored in the
    /// mailbox); nil for anything else.
    public init?(e164: String) {
        if let known = Self.validated.withLock({ $0[e164] }) {
            self = known
            return
        }
        guard e164.hasPrefix("+"), let parsed = try? PhoneNumber.parse(e164), parsed.e164 == e164 else { return nil }
        Self.validated.withLock { $0[e164] = parsed }
        self = parsed
    }

    /// Stored numbers already checked in this process: a mailbox names each
    /// number in many files, and the numbering-plan check uses regexes.
    private static let validated = Mutex<[String: PhoneNumber]>([:])

    private init(countryCode: Int, nationalNumber: String) {
        self.countryCode = countryCode
        self.e164 = "+\(countryCode)\(nationalNumber)"
    }

    public var nationalNumber: String { String(e164.dropFirst(1 + String(countryCode).count)) }

    /// The North American area code, for +1 numbers.
    public var areaCode: Int? {
        countryCode == 1 ? Int(nationalNumber.prefix(3)) : nil
    }

    /// A readable form: `+1 555-010-0123` for North America, else `+CC NNN…`.
    public var formatted: String {
        let national = Array(nationalNumber)
        if countryCode == 1, national.count == 10 {
            return "+1 \(String(national[0..<3]))-\(String(national[3..<6]))-\(String(national[6...]))"
        }
        return "+\(countryCode) \(nationalNumber)"
    }

    public var description: String { e164 }

    public static func < (lhs: PhoneNumber, rhs: PhoneNumber) -> Bool { lhs.e164 < rhs.e164 }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let number = PhoneNumber(e164: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an E.164 number: \(text)"))
        }
        self = number
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(e164)
    }

    private static func international(_ digits: String, input: String) throws(PhoneNumberError) -> PhoneNumber {
        for length in 1...3 where digits.count > length {
            guard let code = Int(digits.prefix(length)), let regions = PhoneMetadata.regionsByCountryCode[code] else { continue }
            let national = String(digits.dropFirst(length))
            if regions.contains(where: { $0.accepts(national) }) {
                return PhoneNumber(countryCode: code, nationalNumber: national)
            }
            // "+44 (0)20 …": a trunk prefix written after the country code
            for region in regions {
                if let prefix = region.nationalPrefix?.prefixLength(in: national), prefix > 0 {
                    let stripped = String(national.dropFirst(prefix))
                    if region.accepts(stripped) { return PhoneNumber(countryCode: code, nationalNumber: stripped) }
                }
            }
            throw .invalidForCountry(input, countryCode: code, lengths: regions[0].possibleLengths.sorted())
        }
        throw .unknownCountryCode(input)
    }

    private static func national(_ digits: String, region: PhoneMetadata.Region, input: String) throws(PhoneNumberError) -> PhoneNumber {
        let siblings = PhoneMetadata.regionsByCountryCode[region.countryCode] ?? [region]
        if let prefix = region.nationalPrefix?.prefixLength(in: digits), prefix > 0 {
            let stripped = String(digits.dropFirst(prefix))
            if siblings.contains(where: { $0.accepts(stripped) }) {
                return PhoneNumber(countryCode: region.countryCode, nationalNumber: stripped)
            }
        }
        if siblings.contains(where: { $0.accepts(digits) }) {
            return PhoneNumber(countryCode: region.countryCode, nationalNumber: digits)
        }
        throw .invalidForRegion(input, region: region.code, lengths: region.possibleLengths.sorted())
    }
}

extension Character {
    package var isASCIIDigit: Bool { isASCII && isNumber }
}
