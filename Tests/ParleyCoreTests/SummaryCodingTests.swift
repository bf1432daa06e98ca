@testable import ParleyCore
import Foundation
import Testing

/// The index keeps summaries in `SummaryCoding`'s bytes: every field must
/// come back, and damaged bytes must be an error, never a trap.
struct SummaryCodingTests {
    private static let number = PhoneNumber(e164: "+13125550147")!
    private static let line = PhoneNumber(e164: "+13125550100")!
    private static func time(_ seconds: Double) -> Date { Date(timeIntervalSinceReferenceDate: 794_000_000.123456 + seconds) }

    /// A summary with every optional set and every list filled, so a field
    /// added later and forgotten by the coding fails the round trip.
    static let full: ConversationSummary = {
        var grant = ConsentEvent(id: "c1", kind: .granted, time: time(1), number: number, name: "Maria Gonzalez", disclosure: "Reply STOP…",
                                 purpose: "appointments", method: .webForm, source: "https://example.com/form", actor: "dana",
                                 evidenceIP: "203.0.113.9", evidenceURL: "https://example.com/e", evidenceFileHash: "sha256:ab",
                                 messageID: "m0", resolution: "keep", note: "said yes at the desk ✓")
        grant.line = line
        var state = ConversationState(assignee: "sam", tags: ["billing", "vip"], isOpen: false, closedAt: time(9), closedBy: "dana")
        state.useCase = "appointments"
        state.outcome = "booked"
        state.mentions = ["sam"]
        state.snooze = ConversationState.Snooze(since: time(10), until: time(20))
        state.unreachable = ConversationState.Unreachable(since: time(11), reason: "landline")
        let consent = ConsentState(status: .granted, grant: grant, optedOutAt: time(12), underReview: true, reviewOpenedAt: time(13),
                                   reviewMessageID: "m9")
        let last = ConversationSummary.LastMessage(direction: .outbound, time: time(8), preview: "See you Friday…", status: .delivered,
                                                   agent: "dana", line: line)
        return ConversationSummary(number: number, name: "Maria Gonzalez", timeZone: "America/Chicago", messageCount: 42,
                                   lastMessage: last, waitingSince: time(5), lastInboundAt: time(6), lastOutboundAt: time(7),
                                   lastClosedAt: time(9), state: state, consent: consent)
    }()

    /// Paths of optionals that are nil and lists that are empty, anywhere in `value`.
    private static func unset(_ value: Any, path: String = "summary", depth: Int = 0) -> [String] {
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional { return mirror.children.isEmpty ? [path] : unset(mirror.children.first!.value, path: path, depth: depth) }
        if mirror.displayStyle == .collection, mirror.children.isEmpty { return [path] }
        guard depth < 6, mirror.displayStyle == .struct else { return [] }
        return mirror.children.flatMap { unset($0.value, path: path + "." + ($0.label ?? "?"), depth: depth + 1) }
    }

    @Test func everyFieldComesBack() throws {
        #expect(Self.unset(Self.full).isEmpty, "set these in the fixture and in SummaryCoding: \(Self.unset(Self.full))")
        #expect(try SummaryCoding.decode(SummaryCoding.encode(Self.full)) == Self.full)
        let bare = ConversationSummary(number: Self.number, name: nil, timeZone: nil, messageCount: 0, lastMessage: nil, waitingSince: nil,
                                       lastInboundAt: nil, lastOutboundAt: nil, lastClosedAt: nil, state: .initial, consent: .empty)
        #expect(try SummaryCoding.decode(SummaryCoding.encode(bare)) == bare)
    }

    @Test func damagedBytesAreAnErrorNeverATrap() {
        let bytes = SummaryCoding.encode(Self.full)
        for length in 0..<bytes.count {
            #expect(throws: ParleyError.self) { try SummaryCoding.decode(bytes.prefix(length)) }
        }
        #expect(throws: ParleyError.self) { try SummaryCoding.decode(bytes + Data([0])) }
        var huge = bytes
        huge.replaceSubrange(0..<8, with: [UInt8](repeating: 0xFF, count: 8))
        #expect(throws: ParleyError.self) { try SummaryCoding.decode(huge) }
    }
}
