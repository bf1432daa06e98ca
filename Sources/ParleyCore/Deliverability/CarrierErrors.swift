import Foundation

/// What a provider's error code means for the next text (docs/GATEWAYS.md,
/// "Carrier errors", names each provider's documentation).
public enum CarrierErrorClass: String, Sendable, Codable, CaseIterable {
    /// A passing problem (queue full, handset off, throughput): try again later.
    case retryLater = "retry_later"
    /// The number does not exist or is not in service.
    case unknownNumber = "unknown_number"
    /// The number exists but cannot receive texts (blocked, deactivated, permanently absent).
    case unreachable
    /// A landline or other number that takes no SMS.
    case landline
    /// A carrier filtered the text for its content or its sender's reputation.
    case filtered
    /// The sender or its campaign is at fault (unregistered 10DLC, suspended number or account).
    case sender
    /// The recipient opted out with the carrier.
    case optedOut = "opted_out"

    /// Never again to this number until a person clears it.
    public var isPermanent: Bool { [.unknownNumber, .unreachable, .landline].contains(self) }

    public var explanation: String {
        switch self {
        case .retryLater: "a passing problem: a later text may arrive"
        case .unknownNumber: "the number does not exist or is not in service"
        case .unreachable: "the number cannot receive texts"
        case .landline: "the number is a landline"
        case .filtered: "a carrier filtered the text"
        case .sender: "the sending line or its campaign is at fault"
        case .optedOut: "the recipient opted out with the carrier"
        }
    }
}

/// Each provider's error codes, by class: the built-in tables, with the
/// additions and corrections of `carrier_errors:` in `parley.yaml`.
public struct CarrierErrors: Equatable, Sendable {
    /// Provider → code → class.
    public var tables: [String: [String: CarrierErrorClass]]

    public init(tables: [String: [String: CarrierErrorClass]] = CarrierErrors.builtIn) {
        self.tables = tables
    }

    /// The class of `code` from `provider`; nil for a code no table knows.
    public func classify(_ code: String?, provider: String) -> CarrierErrorClass? {
        guard let code = code?.trimmingCharacters(in: .whitespaces), !code.isEmpty else { return nil }
        return tables[provider]?[code]
    }

    /// Providers whose codes Parley knows; the sandbox simulates Twilio's codes.
    public static let providers = ["twilio", "telnyx", "plivo", "vonage", "bandwidth", "kannel", "sandbox"]

    /// Twilio: https://www.twilio.com/docs/api/errors (30001–30034, 21610, 21614).
    static let twilio: [String: CarrierErrorClass] = [
        "30001": .retryLater, "30002": .sender, "30003": .retryLater, "30004": .unreachable, "30005": .unknownNumber, "30006": .landline,
        "30007": .filtered, "30008": .retryLater, "30017": .retryLater, "30018": .sender, "30019": .filtered, "30022": .retryLater,
        "30023": .retryLater, "30024": .sender, "30032": .sender, "30034": .sender, "21610": .optedOut, "21614": .landline,
        "21211": .unknownNumber, "21408": .sender, "21612": .unreachable,
    ]

    /// Telnyx: https://developers.telnyx.com/docs/messaging/messages/error-codes (40001–40012, 40300).
    static let telnyx: [String: CarrierErrorClass] = [
        "40001": .landline, "40002": .filtered, "40003": .filtered, "40004": .unreachable, "40005": .retryLater, "40006": .retryLater,
        "40008": .unreachable, "40009": .retryLater, "40010": .sender, "40011": .retryLater, "40012": .unknownNumber,
        "40300": .optedOut, "40310": .unknownNumber, "40311": .sender, "40331": .sender,
    ]

    /// Plivo: https://www.plivo.com/docs/messaging/troubleshooting/error-codes (delivery report ErrorCode).
    static let plivo: [String: CarrierErrorClass] = [
        "10": .filtered, "20": .retryLater, "30": .filtered, "40": .sender, "50": .unknownNumber, "60": .retryLater,
        "70": .unreachable, "80": .retryLater, "90": .unknownNumber, "100": .sender, "200": .sender, "300": .filtered,
        "420": .landline, "900": .retryLater, "1000": .retryLater, "2000": .filtered,
    ]

    /// Vonage: https://developer.vonage.com/en/messaging/sms/guides/delivery-receipts (DLR err-code).
    static let vonage: [String: CarrierErrorClass] = [
        "1": .retryLater, "2": .retryLater, "3": .unreachable, "4": .unreachable, "5": .unknownNumber, "6": .filtered, "7": .retryLater,
        "8": .retryLater, "9": .unknownNumber, "10": .filtered, "11": .unreachable, "12": .unreachable, "13": .filtered,
        "14": .filtered, "15": .sender, "99": .retryLater,
    ]

    /// Bandwidth: https://dev.bandwidth.com/docs/messaging/errors (4xxx/5xxx delivery error codes).
    static let bandwidth: [String: CarrierErrorClass] = [
        "4301": .sender, "4350": .retryLater, "4401": .unknownNumber, "4403": .sender, "4404": .landline, "4405": .unknownNumber,
        "4406": .unreachable, "4470": .filtered, "4700": .unknownNumber, "4720": .unknownNumber, "4721": .unreachable,
        "4750": .filtered, "4770": .filtered, "4775": .optedOut, "5100": .retryLater, "5106": .unreachable, "5620": .landline,
        "5629": .filtered, "5630": .filtered, "9902": .retryLater,
    ]

    public static let builtIn: [String: [String: CarrierErrorClass]] = [
        "twilio": twilio, "sandbox": twilio, "telnyx": telnyx, "plivo": plivo, "vonage": vonage, "bandwidth": bandwidth, "kannel": [:],
    ]

    /// `carrier_errors:` in `parley.yaml`: provider → code → class, added to
    /// (or correcting) the built-in tables.
    static func parse(_ fields: YAMLFields?) throws(ParleyError) -> CarrierErrors {
        var errors = CarrierErrors()
        guard let fields else { return errors }
        for provider in fields.keys {
            guard providers.contains(provider) else {
                throw fields.problem(provider, "carrier_errors: unknown provider '\(provider)'; providers are \(providers.joined(separator: ", "))")
            }
            guard let codes = try fields.nested(provider) else { continue }
            for code in codes.keys {
                let text = try codes.string(code)
                guard let kind = CarrierErrorClass(rawValue: text) else {
                    throw codes.problem(code, "carrier_errors.\(provider).\(code): '\(text)' is not a class; classes are "
                        + CarrierErrorClass.allCases.map(\.rawValue).joined(separator: ", "))
                }
                errors.tables[provider, default: [:]][code] = kind
            }
        }
        return errors
    }
}
