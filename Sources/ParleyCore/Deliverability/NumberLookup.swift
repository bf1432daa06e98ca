import Foundation

/// What kind of line a number is, as a provider's lookup says.
public enum LineType: String, Sendable, Codable, CaseIterable {
    case mobile, landline, voip
    case tollFree = "toll_free"
    case unknown

    /// Whether a text can never arrive: a landline takes no SMS.
    public var takesNoTexts: Bool { self == .landline }
}

/// A provider's answer about one number.
public struct LineTypeResult: Sendable, Equatable {
    public let lineType: LineType
    public let carrier: String?
    /// Which lookup answered, e.g. `twilio lookup v2`.
    public let source: String

    public init(lineType: LineType, carrier: String?, source: String) {
        self.lineType = lineType
        self.carrier = carrier
        self.source = source
    }
}

/// A gateway whose provider can say what kind of line a number is (Twilio
/// Lookup v2's line type intelligence; Telnyx number lookup). Parley asks
/// once, before the first text, and keeps the answer as a contact fact.
public protocol NumberLookup: Sendable {
    func lineType(of number: PhoneNumber) async throws(GatewayError) -> LineTypeResult
}
