import Foundation
import ParleyCore

/// Twilio's Messages list read for `parley import twilio`: every outbound
/// message the account sent between two days (`DateSent>=`, `DateSent<=`),
/// page after page (`next_page_uri`), as automated messages to record.
/// Parley's own sends are in the list too; recording skips them by their
/// SID, which their message files already carry.
public struct TwilioMessageHistory: Sendable {
    let gateway: TwilioGateway
    /// Enough for a small business's months; a longer history is imported a period at a time.
    static let maximumPages = 200

    public init(gateway: TwilioGateway) { self.gateway = gateway }

    public func outboundMessages(since: Date, until: Date?, system: String,
                                 progress: @Sendable (Int) -> Void) async throws(GatewayError) -> [AutomatedMessage] {
        var query = [("DateSent>", String(Timestamp.format(since).prefix(10))), ("PageSize", "1000")]
        if let until { query.append(("DateSent<", String(Timestamp.format(until.addingTimeInterval(86_400)).prefix(10)))) }
        var next: String? = gateway.messagesURL + "?" + FormEncoding.encode(query)
        var found: [AutomatedMessage] = []
        var pages = 0
        let dates = Self.dateFormatter()
        while let url = next, pages < Self.maximumPages {
            pages += 1
            let answer = try await gateway.endpoints.http.send(.GET, url, headers: [gateway.authorization])
            guard answer.isSuccess else { throw TwilioGateway.error(answer, http: gateway.endpoints.http) }
            guard let page = answer.object, let messages = page["messages"] as? [[String: Any]] else {
                throw .ambiguous(message: "Twilio's message list was unreadable")
            }
            found += messages.compactMap { Self.automated($0, system: system, dates: dates) }.filter { message in
                message.time >= since && (until.map { message.time <= $0 } ?? true)
            }
            progress(found.count)
            next = JSONValue.string(page["next_page_uri"]).flatMap { $0.isEmpty ? nil : gateway.endpoints.apiBaseURL + $0 }
        }
        return found
    }

    /// An outbound message of the list; nil for inbound ones and for addresses that are not phone numbers (WhatsApp, …).
    static func automated(_ object: [String: Any], system: String, dates: DateFormatter) -> AutomatedMessage? {
        guard let direction = JSONValue.string(object["direction"]), direction.hasPrefix("outbound"),
              let sid = JSONValue.string(object["sid"]), MessageID.isValid(sid),
              let to = JSONValue.string(object["to"]).flatMap({ PhoneNumber(e164: $0) }),
              let time = (JSONValue.string(object["date_sent"]) ?? JSONValue.string(object["date_created"])).flatMap(dates.date(from:))
        else { return nil }
        return AutomatedMessage(to: to, from: JSONValue.string(object["from"]).flatMap { PhoneNumber(e164: $0) },
                                body: JSONValue.string(object["body"]) ?? "", time: time, providerID: sid, gateway: "twilio",
                                status: TwilioStatus.normalized(JSONValue.string(object["status"]) ?? "") ?? .sent, system: system)
    }

    /// Twilio's dates, `Mon, 09 Mar 2026 15:00:00 +0000`: one formatter per import, not one per message.
    static func dateFormatter() -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter
    }
}

/// Twilio declares that it can list the account's messages.
extension TwilioGateway: MessageHistorySource {
    public var historyName: String { "Twilio's message list" }

    public func outboundMessages(since: Date, until: Date?, system: String,
                                 progress: @Sendable (Int) -> Void) async throws(GatewayError) -> [AutomatedMessage] {
        try await TwilioMessageHistory(gateway: self).outboundMessages(since: since, until: until, system: system, progress: progress)
    }
}
