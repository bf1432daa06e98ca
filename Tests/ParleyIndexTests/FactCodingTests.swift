import Foundation
@testable import ParleyCore
import ParleyTestSupport
import Testing
@testable import ParleyIndex

/// A conversation's report facts are kept in the index as bytes: read back,
/// they must give exactly the report the walk gives, and damaged bytes must
/// be refused without a trap.
@Suite struct FactCodingTests {
    /// Conversations of random messages (templates, prices, errors, overrides), assignments, closes and opt-outs over a month.
    static func records(count: Int) -> [ConversationRecords] {
        var random = SeededGenerator(seed: 42)
        let start = Timestamp.parse("2026-02-02T08:00:00-06:00")!.timeIntervalSince1970
        return (0..<count).map { index in
            var records = ConversationRecords(number: "+1312555\(String(format: "%04d", index))")
            var time = start + Double(Int.random(in: 0..<2_000_000, using: &random))
            for step in 0..<Int.random(in: 1...12, using: &random) {
                time += Double(Int.random(in: 60...40_000, using: &random))
                let inbound = Bool.random(using: &random)
                records.messages.append(IndexedMessage(
                    name: "m\(step).md", id: "m\(step)", time: time, inbound: inbound, agent: inbound ? nil : ["dana", "sam", "lee"].randomElement(using: &random),
                    template: inbound ? nil : ["appointment-reminder", nil, "follow-up"].randomElement(using: &random)!,
                    status: inbound ? .received : [.delivered, .undelivered, .sent].randomElement(using: &random)!,
                    errorCode: step % 7 == 6 ? "30003" : nil, price: inbound ? nil : 0.0079, priceUnit: inbound ? nil : "USD",
                    overrides: step % 9 == 8 ? [Override(rule: .quietHours, reason: "asked to be texted late")] : [], keyword: false, approvedBy: nil))
                if step % 4 == 3 {
                    records.events.append(.init(time: time + 30, kind: .close, actor: "dana", assignee: nil, useCase: "appointments",
                                                outcome: ["confirmed", nil].randomElement(using: &random)!))
                }
                if step == 5 { records.consent.append(.init(time: time + 60, kind: .optedOut, messageID: nil)) }
            }
            return records
        }
    }

    static func json(_ facts: ReportFacts) throws -> String {
        let config = MailboxConfig(businessName: "X", businessNumber: try PhoneNumber.parse("+13125550100"), timeZone: "America/Chicago")
        let report = ReportBuilder(facts: facts, query: ReportQuery(grouping: .template), settings: config.monitoring,
                                   clock: BusinessClock(for: config)).build()
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(report), as: UTF8.self)
    }

    @Test func storedFactsGiveTheSameReportAsWalking() throws {
        var walked = ReportFacts(), decoded = ReportFacts()
        for conversation in Self.records(count: 400) {
            var own = ReportFacts()
            ConversationTimeline.walk(conversation, into: &own)
            ConversationTimeline.walk(conversation, into: &walked)
            #expect(FactCoding.decode(FactCoding.encode(own), number: conversation.number, into: &decoded))
        }
        let expected = try Self.json(walked)
        #expect(expected.contains("\"firstReply\"") && expected.contains("quiet_hours") && expected.contains("30003"))
        #expect(try Self.json(decoded) == expected)
    }

    @Test func damagedBytesAreRefusedAndAddNothing() throws {
        var own = ReportFacts()
        ConversationTimeline.walk(Self.records(count: 1)[0], into: &own)
        let bytes = FactCoding.encode(own)
        var facts = ReportFacts()
        for cut in [1, bytes.count / 2, bytes.count - 1] {
            #expect(!FactCoding.decode(bytes.prefix(cut), number: "+13125550000", into: &facts))
        }
        #expect(!FactCoding.decode(bytes + Data([0]), number: "+13125550000", into: &facts))
        #expect(facts.messages.isEmpty && facts.waits.isEmpty && facts.episodes.isEmpty)
    }
}
