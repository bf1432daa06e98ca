import Foundation
import ParleyCore

/// Twilio Lookup v2 with line type intelligence:
/// `GET {lookup}/v2/PhoneNumbers/{E164}?Fields=line_type_intelligence`
/// (https://www.twilio.com/docs/lookup/v2-api/line-type-intelligence).
extension TwilioGateway: NumberLookup {
    public func lineType(of number: PhoneNumber) async throws(GatewayError) -> LineTypeResult {
        let url = "\(lookupBaseURL)/v2/PhoneNumbers/\(FormEncoding.escape(number.e164))?Fields=line_type_intelligence"
        let answer = try await endpoints.http.send(.GET, url, headers: [authorization])
        guard answer.isSuccess else { throw Self.error(answer, http: endpoints.http) }
        guard let intelligence = answer.object?["line_type_intelligence"] as? [String: Any] else {
            throw .rejected(code: nil, message: "Twilio Lookup answered without line_type_intelligence", raw: answer.body)
        }
        return LineTypeResult(lineType: Self.lineType(JSONValue.string(intelligence["type"])),
                              carrier: JSONValue.string(intelligence["carrier_name"]), source: "twilio lookup v2")
    }

    /// Twilio's types: mobile, landline, fixedVoip, nonFixedVoip, tollFree, and others (personal, pager, voicemail…) Parley does not judge.
    static func lineType(_ type: String?) -> LineType {
        switch type {
        case "mobile": .mobile
        case "landline": .landline
        case "fixedVoip", "nonFixedVoip": .voip
        case "tollFree": .tollFree
        default: .unknown
        }
    }
}
