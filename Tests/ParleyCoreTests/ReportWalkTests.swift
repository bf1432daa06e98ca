import Foundation
@testable import ParleyCore
import ParleyTestSupport
import Testing

/// The report walks conversations on every core; the shares must join into
/// exactly what one walk gives.
@Suite struct ReportWalkTests {
    /// Conversations of random messages, assignments and closes over a month.
    static func records(count: Int) -> [ConversationRecords] {
        var random = SeededGenerator(seed: 42)
        let start = Timestamp.parse("2026-02-02T08:00:00-06:00")!.timeIntervalSince1970
        return (0..<count).map { index in
            var records = ConversationRecords(number: "+1312555\(String(format: "%04d", index))")
            var time = start + Double(Int.random(in: 0..<2_000_000, using: &random))
            for step in 0..<Int.random(in: 1...12, using: &random) {
                time += Double(Int.random(in: 60...40_000, using: &random))
                let inbound = Bool.random(using: &random)
                records.messages.append(.init(
                    time: time, inbound: inbound, agent: inbound ? nil : ["dana", "sam", "lee"].randomElement(using: &random), template: nil,
                    status: .delivered, errorCode: nil, price: 0.0079, priceUnit: "USD", overrides: [], keyword: false))
                if step % 4 == 3 {
                    records.events.append(.init(time: time + 30, kind: .close, actor: "dana", assignee: nil, useCase: "appointments",
                                                outcome: "confirmed"))
                }
            }
            return records
        }
    }

    @Test func walkingInSharesGivesTheSameReportAsOneWalk() throws {
        let records = Self.records(count: 700)
        let config = MailboxConfig(businessName: "X", businessNumber: try PhoneNumber.parse("+13125550100"), timeZone: "America/Chicago")
        func report(_ shares: Int) throws -> String {
            let report = ReportBuilder(facts: ReportMaker.walk(records, shares: shares), query: ReportQuery(grouping: .day),
                                       settings: config.monitoring, clock: BusinessClock(for: config)).build()
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            return String(decoding: try encoder.encode(report), as: UTF8.self)
        }
        let one = try report(1)
        #expect(one.contains("\"firstReply\""))
        for shares in [2, 3, 8] { #expect(try report(shares) == one, "\(shares) shares") }
    }
}
