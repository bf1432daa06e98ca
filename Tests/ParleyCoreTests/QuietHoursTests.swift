import Foundation
@testable import ParleyCore
import Testing

@Suite struct QuietHoursTests {
    func verdict(_ number: String, _ time: String, zone: String? = nil, state: String? = nil) throws -> QuietHours.Verdict {
        let phone = try PhoneNumber.parse(number)
        let contact = zone.map { Contact(number: phone, timeZone: $0, state: state) }
        let location = QuietHours.Location.of(phone, contact: contact, businessZone: TimeZone(identifier: "America/Chicago")!)
        return QuietHours.evaluate(phone, at: Timestamp.parse(time)!, location: location)
    }

    @Test func federalWindowInTheRecipientsZone() throws {
        // 312 is Chicago: 20:59 CDT allowed, 21:00 not, 07:59 not, 08:00 allowed.
        #expect(try verdict("+13125550147", "2026-06-10T20:59:00-05:00").allowed)
        let late = try verdict("+13125550147", "2026-06-10T21:14:00-05:00")
        #expect(!late.allowed)
        #expect(late.facts == "21:14 in America/Chicago for +13125550147; allowed 08:00–21:00 (IL, federal rule)")
        #expect(late.nextAllowed == Timestamp.parse("2026-06-11T08:00:00-05:00"))
        #expect(try !verdict("+13125550147", "2026-06-10T07:59:00-05:00").allowed)
        #expect(try verdict("+13125550147", "2026-06-10T08:00:00-05:00").allowed)
    }

    @Test(arguments: [
        ("FL", 8, 20), ("OK", 8, 20), ("MD", 8, 20), ("MA", 8, 20), ("AL", 8, 20), ("LA", 8, 20), ("MS", 8, 21), ("KY", 10, 21),
        ("MI", 9, 21), ("MN", 9, 21), ("NM", 9, 21), ("NV", 9, 20), ("CT", 9, 20), ("RI", 9, 18), ("TX", 8, 21), ("CA", 8, 21),
    ])
    func everyStateRowOnAWeekday(state: String, start: Int, end: Int) throws {
        // Wednesday 10 June 2026, in a fixed zone so only the state rule varies.
        func at(_ hour: Int, _ minute: Int) throws -> Bool {
            try verdict("+13125550147", String(format: "2026-06-10T%02d:%02d:00-05:00", hour, minute), zone: "America/Chicago", state: state).allowed
        }
        #expect(try !at(start - 1, 59))
        #expect(try at(start, 0))
        #expect(try at(end - 1, 59))
        #expect(try !at(end, 0))
    }

    @Test func sundaysAndHolidays() throws {
        // Sunday 14 June 2026, noon: AL, LA, MS and RI forbid; IL allows.
        for state in ["AL", "LA", "MS", "RI"] {
            let sunday = try verdict("+13125550147", "2026-06-14T12:00:00-05:00", zone: "America/Chicago", state: state)
            #expect(!sunday.allowed, "\(state)")
            #expect(sunday.facts.contains("no messages on this day"))
        }
        #expect(try verdict("+13125550147", "2026-06-14T12:00:00-05:00", zone: "America/Chicago", state: "IL").allowed)
        // Thanksgiving 26 Nov 2026 and observed Independence Day (Friday 3 July 2026): AL no; MS (holidays allowed) yes.
        #expect(try !verdict("+13125550147", "2026-11-26T12:00:00-06:00", zone: "America/Chicago", state: "AL").allowed)
        #expect(try !verdict("+13125550147", "2026-07-03T12:00:00-05:00", zone: "America/Chicago", state: "LA").allowed)
        #expect(try verdict("+13125550147", "2026-11-26T12:00:00-06:00", zone: "America/Chicago", state: "MS").allowed)
        // RI on a Saturday: 10–17.
        #expect(try !verdict("+13125550147", "2026-06-13T09:30:00-05:00", zone: "America/Chicago", state: "RI").allowed)
        #expect(try verdict("+13125550147", "2026-06-13T10:30:00-05:00", zone: "America/Chicago", state: "RI").allowed)
    }

    @Test func daylightSavingTransitions() throws {
        // 8 March 2026, clocks jump 02:00 → 03:00 in Chicago. 20:30 local is 01:30Z on the 9th.
        #expect(try verdict("+13125550147", "2026-03-09T01:30:00Z").allowed)
        #expect(try !verdict("+13125550147", "2026-03-09T02:30:00Z").allowed)  // 21:30 CDT
        // 1 November 2026, clocks fall back at 07:00Z: 14:00Z is 08:00 CST.
        #expect(try verdict("+13125550147", "2026-11-01T14:00:00Z").allowed)    // 08:00 CST
        #expect(try !verdict("+13125550147", "2026-11-01T13:59:00Z").allowed)   // 07:59 CST
    }

    @Test func arizonaHasNoDaylightSaving() throws {
        // 602 is Phoenix, UTC-7 all year: 15:00Z is 08:00 in winter and summer alike.
        #expect(try verdict("+16025550100", "2026-01-15T15:00:00Z").allowed)
        #expect(try verdict("+16025550100", "2026-07-15T15:00:00Z").allowed)
        #expect(try !verdict("+16025550100", "2026-07-15T14:59:00Z").allowed)
        #expect(try verdict("+16025550100", "2026-07-15T14:59:00Z").facts.contains("America/Phoenix"))
    }

    @Test func areaCodesSpanningZonesMustAllowInEveryZone() throws {
        // 270 (western Kentucky) is in Chicago's and New York's zones, and KY allows 10–21.
        let early = try verdict("+12705550100", "2026-06-10T14:30:00Z")  // 10:30 EDT but 09:30 CDT
        #expect(!early.allowed)
        #expect(early.nextAllowed == Timestamp.parse("2026-06-10T15:00:00Z"))
    }

    @Test func unknownLocationsUseAConservativeWindow() throws {
        // 555 is no geographic area code: 12:00–21:00 Eastern.
        #expect(try !verdict("+15555550100", "2026-06-10T15:30:00Z").allowed)  // 11:30 EDT
        let allowed = try verdict("+15555550100", "2026-06-10T16:30:00Z")
        #expect(allowed.allowed)
        #expect(allowed.facts.contains("unknown location"))
    }

    @Test func federalHolidays() {
        #expect(USHolidays.isHoliday(year: 2026, month: 1, day: 19))   // MLK Day
        #expect(USHolidays.isHoliday(year: 2026, month: 5, day: 25))   // Memorial Day
        #expect(USHolidays.isHoliday(year: 2026, month: 11, day: 26))  // Thanksgiving
        #expect(USHolidays.isHoliday(year: 2027, month: 12, day: 24))  // Christmas 2027 is a Saturday: observed Friday
        #expect(!USHolidays.isHoliday(year: 2026, month: 3, day: 9))
        #expect(USHolidays.weekday(2026, 3, 9) == 2)                   // a Monday
    }
}
