import Foundation
@testable import ParleyCore
import Testing

@Suite struct BusinessClockTests {
    /// Monday–Friday 08:00–17:00 in Chicago, closed on Christmas Day 2026.
    let clock = BusinessClock(
        hours: BusinessHours(
            week: (0..<7).map { (1...5).contains($0) ? [BusinessHours.Opening(start: 8 * 60, end: 17 * 60)] : [] },
            closedDays: [BusinessHours.day("2026-12-25")!]),
        zone: TimeZone(identifier: "America/Chicago")!)

    func minutes(_ from: String, _ to: String, on clock: BusinessClock? = nil) -> Double {
        (clock ?? self.clock).duration(from: Timestamp.parse(from)!, to: Timestamp.parse(to)!) / 60
    }

    @Test func aTextAfterClosingAnsweredNextMorningWaitedOnlyTheMorningsMinutes() {
        // Thursday 20:59 → Friday 08:05: five business minutes.
        #expect(minutes("2026-03-05T20:59:00-06:00", "2026-03-06T08:05:00-06:00") == 5)
        // Within one opening: calendar and business time agree.
        #expect(minutes("2026-03-05T10:00:00-06:00", "2026-03-05T10:12:30-06:00") == 12.5)
    }

    @Test func weekendsAndClosedDatesDoNotCount() {
        // Friday 16:50 → Monday 08:10: ten minutes each side of the weekend.
        #expect(minutes("2026-03-06T16:50:00-06:00", "2026-03-09T08:10:00-05:00") == 20)
        // Thursday 24 December 16:30 → Monday 28 December 08:30: Christmas is closed.
        #expect(minutes("2026-12-24T16:30:00-06:00", "2026-12-28T08:30:00-06:00") == 60)
        #expect(!clock.isOpen(at: Timestamp.parse("2026-12-25T10:00:00-06:00")!))
        #expect(clock.isOpen(at: Timestamp.parse("2026-12-24T10:00:00-06:00")!))
    }

    @Test func daylightSavingDaysHaveTheirRealLength() {
        let always = BusinessClock(hours: BusinessHours(week: Array(repeating: [.init(start: 0, end: 24 * 60)], count: 7)),
                                   zone: TimeZone(identifier: "America/Chicago")!)
        // Sunday 8 March 2026 has 23 hours, Sunday 1 November 25.
        #expect(minutes("2026-03-07T12:00:00-06:00", "2026-03-09T12:00:00-05:00", on: always) == 47 * 60)
        #expect(minutes("2026-10-31T12:00:00-05:00", "2026-11-02T12:00:00-06:00", on: always) == 49 * 60)
        // Opening hours are local: 08:00 on the Monday after the change is 13:00 UTC, not 14:00.
        #expect(minutes("2026-03-09T12:30:00Z", "2026-03-09T13:30:00Z") == 30)
    }

    @Test func splitOpeningsSkipTheGap() throws {
        let lunch = BusinessClock(hours: BusinessHours(week: Array(repeating: try #require(BusinessHours.openings("08:00-12:00, 13:00-17:00")), count: 7)),
                                  zone: TimeZone(identifier: "UTC")!)
        #expect(minutes("2026-03-05T11:30:00Z", "2026-03-05T13:30:00Z", on: lunch) == 60)
        #expect(!lunch.isOpen(at: Timestamp.parse("2026-03-05T12:30:00Z")!))
    }

    @Test func anEndBeforeTheStartIsNoTime() {
        #expect(minutes("2026-03-05T10:00:00-06:00", "2026-03-05T09:00:00-06:00") == 0)
    }

    @Test func parsingRefusesWhatIsNotOpeningHoursWithItsLine() throws {
        #expect(BusinessHours.openings("08:00-17:00") == [.init(start: 480, end: 1020)])
        #expect(BusinessHours.openings("closed") == [])
        for bad in ["8-17", "17:00-08:00", "08:00-12:00, 11:00-13:00", "08:00-25:00", "08:60-09:00", ""] {
            #expect(BusinessHours.openings(bad) == nil, "\(bad)")
        }
        #expect(BusinessHours.day("2026-02-30") == nil)
        let yaml = "format: 2\nbusiness: {name: X, number: \"+13125550100\"}\nbusiness_hours:\n  monday: \"9 to 5\"\n"
        #expect(throws: ParleyError.malformed(FormatIssue(path: "parley.yaml", line: 4,
            problem: "'9 to 5' is not opening hours: write them as \"08:00-17:00\", several as \"08:00-12:00, 13:00-17:00\", or closed"))) {
            try MailboxConfig.parse(Data(yaml.utf8))
        }
    }

    @Test func settingsSurviveBeingWrittenAndReadBack() throws {
        var config = MailboxConfig(businessName: "X", businessNumber: try PhoneNumber.parse("+13125550100"), timeZone: "America/Chicago")
        config.monitoring.businessHours.closedDays = [BusinessHours.day("2026-12-25")!]
        config.monitoring.businessHours.week[6] = try #require(BusinessHours.openings("09:00-12:00"))
        config.monitoring.useCases.append(UseCase(name: "billing", firstResponse: 9000, response: nil, resolution: nil, outcomes: ["paid"]))
        #expect(try MailboxConfig.parse(config.fileData()) == config)
        #expect(UseCase.duration("2h30m") == 9000)
        #expect(UseCase.duration("15") == nil)
    }
}
