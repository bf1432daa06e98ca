/// Why some text is not a phone number Parley can text, worded for the
/// person who typed it.
public enum PhoneNumberError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case invalidCharacter(String, Character)
    case misplacedPlus(String)
    case unknownRegion(String)
    case unknownCountryCode(String)
    case invalidForCountry(String, countryCode: Int, lengths: [Int])
    case invalidForRegion(String, region: String, lengths: [Int])

    public var description: String {
        switch self {
        case .empty:
            return "no phone number given"
        case .invalidCharacter(let input, let character):
            return "'\(input)' is not a phone number: '\(character)' is not allowed (use digits, spaces, +, -, ., parentheses)"
        case .misplacedPlus(let input):
            return "'\(input)' is not a phone number: '+' may only start an international number"
        case .unknownRegion(let region):
            return "unknown default country '\(region)': set default_country in parley.yaml to a two-letter code such as US or GB"
        case .unknownCountryCode(let input):
            return "'\(input)' starts with no known country calling code"
        case .invalidForCountry(let input, let code, let lengths):
            return "'\(input)' is not a valid number for country code +\(code)" + Self.lengthHint(lengths)
        case .invalidForRegion(let input, let region, let lengths):
            return "'\(input)' is not a valid \(region) number" + Self.lengthHint(lengths)
                + "; for another country start with + and the country code"
        }
    }

    private static func lengthHint(_ lengths: [Int]) -> String {
        guard !lengths.isEmpty else { return "" }
        let list = lengths.map(String.init).joined(separator: ", ")
        return " (national numbers there have \(list) digits)"
    }
}
