import Foundation
import ParleyCore

/// Telnyx number lookup: `GET /v2/number_lookup/{E164}?type=carrier`
/// (https://developers.telnyx.com/api/number-lookup/lookup-number).
extension TelnyxGateway: NumberLookup {
    public func lineType(of number: PhoneNumber) async throws(GatewayError) -> LineTypeResult {
        let url = "\(endpoints.apiBaseURL)/v2/number_lookup/\(FormEncoding.escape(number.e164))?type=carrier"
        let answer = try await endpoints.http.send(.GET, url, headers: [authorization])
        guard answer.isSuccess else { throw Self.error(answer, http: endpoints.http) }
        guard let data = answer.object?["data"] as? [String: Any], let carrier = data["carrier"] as? [String: Any] else {
            throw .rejected(code: nil, message: "Telnyx number lookup answered without carrier data", raw: answer.body)
        }
        return LineTypeResult(lineType: Self.lineType(JSONValue.string(carrier["type"])), carrier: JSONValue.string(carrier["name"]),
                              source: "telnyx number lookup")
    }

    /// Telnyx's carrier types: "mobile", "fixed line", "voip", "toll free", and mixed ones ("fixed line or mobile") Parley does not judge.
    static func lineType(_ type: String?) -> LineType {
        switch type?.lowercased() {
        case "mobile": .mobile
        case "fixed line", "landline": .landline
        case "voip": .voip
        case "toll free": .tollFree
        default: .unknown
        }
    }
}
