import Foundation

/// A conversation's summary as compact bytes, the form the derived index
/// keeps: `parley inbox` piped over 100k conversations decodes one per
/// row, and JSON decoding was two thirds of its time. Fields go in
/// declaration order, optionals behind a presence byte, strings as a
/// length and UTF-8, times as the bits of their Double (exact); little-endian. The
/// index's schema version covers the layout (a change rebuilds it), and a
/// round-trip test over a summary with every field set keeps it complete.
public enum SummaryCoding {
    public static func encode(_ summary: ConversationSummary) -> Data {
        let out = ByteWriter()
        out.number(summary.number)
        out.optional(summary.name, out.string)
        out.optional(summary.timeZone, out.string)
        out.integer(summary.messageCount)
        out.optional(summary.lastMessage) { last in
            out.string(last.direction.rawValue)
            out.date(last.time)
            out.string(last.preview)
            out.string(last.status.rawValue)
            out.optional(last.agent, out.string)
            out.optional(last.line, out.number)
        }
        for time in [summary.waitingSince, summary.lastInboundAt, summary.lastOutboundAt, summary.lastClosedAt] { out.optional(time, out.date) }
        let state = summary.state
        out.optional(state.assignee, out.string)
        out.strings(state.tags)
        out.flag(state.isOpen)
        out.optional(state.closedAt, out.date)
        for text in [state.closedBy, state.useCase, state.outcome] { out.optional(text, out.string) }
        out.strings(state.mentions)
        out.optional(state.snooze) { snooze in
            out.date(snooze.since)
            out.optional(snooze.until, out.date)
        }
        out.optional(state.unreachable) { unreachable in
            out.date(unreachable.since)
            out.string(unreachable.reason)
        }
        let consent = summary.consent
        out.string(consent.status.rawValue)
        out.optional(consent.grant) { grant in
            out.string(grant.id)
            out.string(grant.kind.rawValue)
            out.date(grant.time)
            out.number(grant.number)
            for text in [grant.name, grant.disclosure, grant.purpose, grant.method?.rawValue, grant.source] { out.optional(text, out.string) }
            out.string(grant.actor)
            for text in [grant.evidenceIP, grant.evidenceURL, grant.evidenceFileHash, grant.messageID] { out.optional(text, out.string) }
            out.optional(grant.line, out.number)
            for text in [grant.resolution, grant.note] { out.optional(text, out.string) }
        }
        out.optional(consent.optedOutAt, out.date)
        out.flag(consent.underReview)
        out.optional(consent.reviewOpenedAt, out.date)
        out.optional(consent.reviewMessageID, out.string)
        return out.data
    }

    /// The summary in `data`; throws when the bytes are damaged or name a
    /// value this version does not know.
    public static func decode(_ data: Data) throws(ParleyError) -> ConversationSummary {
        let input = ByteReader(data)
        let number = try input.number()
        let name = try input.optional(input.string), timeZone = try input.optional(input.string)
        let messageCount = try input.integer()
        let lastMessage = try input.optional { () throws(ParleyError) in
            ConversationSummary.LastMessage(direction: try input.value(), time: try input.date(), preview: try input.string(),
                                            status: try input.value(), agent: try input.optional(input.string), line: try input.optional(input.number))
        }
        let waitingSince = try input.optional(input.date), lastInboundAt = try input.optional(input.date)
        let lastOutboundAt = try input.optional(input.date), lastClosedAt = try input.optional(input.date)
        var state = ConversationState(assignee: try input.optional(input.string), tags: try input.strings(), isOpen: try input.flag(),
                                      closedAt: try input.optional(input.date), closedBy: try input.optional(input.string))
        state.useCase = try input.optional(input.string)
        state.outcome = try input.optional(input.string)
        state.mentions = try input.strings()
        state.snooze = try input.optional { () throws(ParleyError) in
            ConversationState.Snooze(since: try input.date(), until: try input.optional(input.date))
        }
        state.unreachable = try input.optional { () throws(ParleyError) in
            ConversationState.Unreachable(since: try input.date(), reason: try input.string())
        }
        let status: ConsentState.Status = try input.value()
        let grant = try input.optional { () throws(ParleyError) in
            var grant = ConsentEvent(id: try input.string(), kind: try input.value(), time: try input.date(), number: try input.number(),
                                     name: try input.optional(input.string), disclosure: try input.optional(input.string),
                                     purpose: try input.optional(input.string), method: try input.optional(input.value),
                                     source: try input.optional(input.string), actor: try input.string(),
                                     evidenceIP: try input.optional(input.string), evidenceURL: try input.optional(input.string),
                                     evidenceFileHash: try input.optional(input.string), messageID: try input.optional(input.string))
            grant.line = try input.optional(input.number)
            grant.resolution = try input.optional(input.string)
            grant.note = try input.optional(input.string)
            return grant
        }
        let consent = ConsentState(status: status, grant: grant, optedOutAt: try input.optional(input.date), underReview: try input.flag(),
                                   reviewOpenedAt: try input.optional(input.date), reviewMessageID: try input.optional(input.string))
        guard input.atEnd else { throw ByteReader.damaged }
        return ConversationSummary(number: number, name: name, timeZone: timeZone, messageCount: messageCount, lastMessage: lastMessage,
                                   waitingSince: waitingSince, lastInboundAt: lastInboundAt, lastOutboundAt: lastOutboundAt,
                                   lastClosedAt: lastClosedAt, state: state, consent: consent)
    }
}

/// Classes, so a method can be handed on as a closure (`out.string`).
extension ConversationSummary {
    /// Every field, as the index stores them.
    init(number: PhoneNumber, name: String?, timeZone: String?, messageCount: Int, lastMessage: LastMessage?, waitingSince: Date?,
         lastInboundAt: Date?, lastOutboundAt: Date?, lastClosedAt: Date?, state: ConversationState, consent: ConsentState) {
        self.number = number
        self.name = name
        self.timeZone = timeZone
        self.messageCount = messageCount
        self.lastMessage = lastMessage
        self.waitingSince = waitingSince
        self.lastInboundAt = lastInboundAt
        self.lastOutboundAt = lastOutboundAt
        self.lastClosedAt = lastClosedAt
        self.state = state
        self.consent = consent
    }
}

private final class ByteWriter {
    var data = Data()

    func integer(_ value: Int) { Swift.withUnsafeBytes(of: Int64(value).littleEndian) { data.append(contentsOf: $0) } }
    func flag(_ value: Bool) { data.append(value ? 1 : 0) }
    func date(_ value: Date) { Swift.withUnsafeBytes(of: value.timeIntervalSinceReferenceDate.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
    func number(_ value: PhoneNumber) { string(value.e164) }

    func string(_ value: String) {
        let bytes = Array(value.utf8)
        integer(bytes.count)
        data.append(contentsOf: bytes)
    }

    func strings(_ values: [String]) {
        integer(values.count)
        values.forEach { string($0) }
    }

    func optional<T>(_ value: T?, _ write: (T) -> Void) {
        flag(value != nil)
        if let value { write(value) }
    }
}

private final class ByteReader {
    static let damaged = ParleyError.storage("a summary in the index is damaged; delete .git/parley/index.sqlite to rebuild it")
    private let bytes: [UInt8]
    private var position = 0

    init(_ data: Data) { bytes = [UInt8](data) }

    var atEnd: Bool { position == bytes.count }

    func integer() throws(ParleyError) -> Int {
        guard bytes.count - position >= 8 else { throw Self.damaged }
        var value: UInt64 = 0
        for index in 0..<8 { value |= UInt64(bytes[position + index]) << (8 * index) }
        position += 8
        return Int(Int64(bitPattern: value))
    }

    func flag() throws(ParleyError) -> Bool {
        guard position < bytes.count, bytes[position] <= 1 else { throw Self.damaged }
        position += 1
        return bytes[position - 1] == 1
    }

    func date() throws(ParleyError) -> Date {
        Date(timeIntervalSinceReferenceDate: Double(bitPattern: UInt64(bitPattern: Int64(try integer()))))
    }

    func string() throws(ParleyError) -> String {
        let count = try integer()
        guard count >= 0, bytes.count - position >= count else { throw Self.damaged }
        defer { position += count }
        return String(decoding: bytes[position..<position + count], as: UTF8.self)
    }

    func strings() throws(ParleyError) -> [String] {
        let count = try integer()
        guard count >= 0, count <= bytes.count - position else { throw Self.damaged }
        var values: [String] = []
        for _ in 0..<count { values.append(try string()) }
        return values
    }

    func number() throws(ParleyError) -> PhoneNumber {
        guard let number = PhoneNumber(e164: try string()) else { throw Self.damaged }
        return number
    }

    /// A value stored by its raw text.
    func value<T: RawRepresentable>() throws(ParleyError) -> T where T.RawValue == String {
        guard let value = T(rawValue: try string()) else { throw Self.damaged }
        return value
    }

    func optional<T>(_ read: () throws(ParleyError) -> T) throws(ParleyError) -> T? {
        try flag() ? try read() : nil
    }
}
