import Foundation
import ParleyCore

/// One conversation's walked facts as compact bytes, kept in the index
/// (`report_facts`) and rewritten only when the conversation changes: a
/// report then reads one blob per conversation instead of every message,
/// receipt and event row, and does not walk again. Strings go once into a
/// table at the front; the facts refer to them by index. Little-endian;
/// the index's schema version covers the layout (a change rebuilds it).
enum FactCoding {
    private static let none = UInt16.max

    static func encode(_ facts: ReportFacts) -> Data {
        var strings: [String] = [], positions: [String: UInt16] = [:]
        func string(_ text: String?) -> UInt16 {
            guard let text else { return none }
            if let known = positions[text] { return known }
            // More distinct strings than an index holds (never seen): the rest are left out rather than trap.
            guard strings.count < Int(none) - 1 else { return none }
            positions[text] = UInt16(strings.count)
            strings.append(text)
            return UInt16(strings.count - 1)
        }
        var body = Data()
        body.append(UInt32(facts.messages.count))
        for message in facts.messages {
            let flags = (message.inbound ? 1 : 0) | (message.automatic ? 2 : 0) | (message.replied ? 4 : 0) | (message.price != nil ? 8 : 0)
            body.append(message.time)
            body.append(UInt8(flags))
            body.append(UInt8(DeliveryStatus.allCases.firstIndex(of: message.status) ?? 0))
            for text in [message.agent, message.template, message.errorCode, message.priceUnit, message.useCase] { body.append(string(text)) }
            if let price = message.price { body.append(price) }
            body.append(UInt8(min(message.overrides.count, 255)))
            for override in message.overrides.prefix(255) { body.append(string(override.description)) }
        }
        body.append(UInt32(facts.waits.count))
        for wait in facts.waits {
            body.append(wait.start)
            body.append(wait.end)
            body.append(UInt8((wait.first ? 1 : 0) | (wait.answered ? 2 : 0)))
            for text in [wait.responder, wait.template, wait.useCase] { body.append(string(text)) }
        }
        body.append(UInt32(facts.episodes.count))
        for episode in facts.episodes {
            body.append(episode.start)
            body.append(episode.end ?? .nan)
            for text in [episode.useCase, episode.outcome, episode.agent, episode.template] { body.append(string(text)) }
            body.append(UInt32(episode.waits.count))
            for wait in episode.waits { body.append(wait.start); body.append(wait.end) }
        }
        body.append(UInt32(facts.reactions.count))
        for reaction in facts.reactions {
            body.append(reaction.time)
            body.append(UInt8(reaction.optOut ? 1 : 0))
            for text in [reaction.template, reaction.agent, reaction.useCase] { body.append(string(text)) }
        }
        var data = Data()
        data.append(UInt16(strings.count))
        for text in strings {
            let bytes = Array(text.utf8.prefix(Int(UInt16.max)))
            data.append(UInt16(bytes.count))
            data.append(contentsOf: bytes)
        }
        return data + body
    }

    /// Appends the facts of `data` (one conversation's, `number`) to `facts`;
    /// false, with nothing appended, when the bytes are damaged.
    static func decode(_ data: Data, number: String, into facts: inout ReportFacts) -> Bool {
        let counts = (facts.messages.count, facts.waits.count, facts.episodes.count, facts.reactions.count)
        let read = data.withUnsafeBytes { bytes in
            var reader = FactReader(bytes: bytes)
            return (try? reader.read(number: number, into: &facts)) != nil
        }
        if !read {
            facts.messages.removeSubrange(counts.0...)
            facts.waits.removeSubrange(counts.1...)
            facts.episodes.removeSubrange(counts.2...)
            facts.reactions.removeSubrange(counts.3...)
        }
        return read
    }
}

private extension Data {
    mutating func append<T: FixedWidthInteger>(_ value: T) { Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) } }
    mutating func append(_ value: Double) { append(value.bitPattern) }
}
