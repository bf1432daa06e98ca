import Foundation
import ParleyCore

/// Values from a callback, validated before they reach the mailbox.
enum CallbackField {
    /// A provider's message id or error code: up to 80 letters, digits and `-_.:`; anything else is refused with 400.
    static func identifier(_ text: String?, _ name: String) throws(WebhookRefusal) -> String? {
        guard let text, !text.isEmpty else { return nil }
        let allowed = { (scalar: Unicode.Scalar) in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "-_.:".unicodeScalars.contains(scalar))
        }
        guard text.count <= 80, text.unicodeScalars.allSatisfy(allowed)
        else { throw WebhookRefusal(status: 400, "\(name) must be up to 80 letters, digits and -_.:") }
        return text
    }

    /// A number as providers write it, with or without the `+` (Plivo, Vonage and Bandwidth vary).
    static func number(_ text: String?, _ defaultRegion: String) -> PhoneNumber? {
        guard var text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        if text.count >= 8, text.allSatisfy(\.isASCIIDigitCharacter) { text = "+" + text }
        return PhoneNumber.fromCallback(text, defaultRegion)
    }

    /// An inbound text from a form callback's fields, named as the provider names them (`From`/`msisdn`,
    /// `MessageUUID`/`messageId`, …); 400 when the sender or the provider's id is missing.
    static func inbound(_ fields: [String: String], from: String, to: String, text: String, id: String, gateway: String,
                        defaultRegion: String) throws(WebhookRefusal) -> IngestItem {
        guard let sender = number(fields[from], defaultRegion), let messageID = try identifier(fields[id], id)
        else { throw WebhookRefusal(status: 400, "\(from) and \(id) are required") }
        return .inbound(InboundMessage(from: sender, to: number(fields[to], defaultRegion), body: fields[text] ?? "", gateway: gateway,
                                       gatewayID: messageID))
    }

    /// Seconds since 1970 from a signed timestamp, checked against `now` within `tolerance`:
    /// a replay of a request captured earlier than that is refused.
    static func freshTimestamp(_ text: String?, now: Date, tolerance: TimeInterval, provider: String) -> WebhookRefusal? {
        guard let text, let seconds = Int64(text), seconds > 0, seconds < 100_000_000_000 else {
            return WebhookRefusal(status: 403, "missing or unreadable timestamp", log: "refused a \(provider) webhook without a readable timestamp")
        }
        guard abs(now.timeIntervalSince1970 - Double(seconds)) <= tolerance else {
            return WebhookRefusal(status: 403, "timestamp outside the \(Int(tolerance)) s tolerance",
                log: "refused a \(provider) webhook whose timestamp is outside the tolerance (a replay, or a clock off)")
        }
        return nil
    }
}

extension Character {
    var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}
