/// US federal holidays and their observed days, for the states that forbid
/// texting on holidays (state holiday lists differ; federal ones are the
/// common ground, documented as such).
enum USHolidays {
    static func isHoliday(year: Int, month: Int, day: Int) -> Bool {
        dates(year).contains { $0.month == month && $0.day == day }
    }

    struct Day: Equatable {
        let month: Int
        let day: Int
    }

    static func dates(_ year: Int) -> [Day] {
        var fixed = [Day(month: 1, day: 1), Day(month: 6, day: 19), Day(month: 7, day: 4), Day(month: 11, day: 11), Day(month: 12, day: 25)]
        // Observed: a Saturday holiday moves to Friday, a Sunday one to Monday.
        for holiday in fixed {
            switch weekday(year, holiday.month, holiday.day) {
            case 7: fixed.append(shift(year, holiday, by: -1))
            case 1: fixed.append(shift(year, holiday, by: 1))
            default: break
            }
        }
        return fixed + [
            nth(3, weekday: 2, month: 1, year),   // Martin Luther King Jr. Day
            nth(3, weekday: 2, month: 2, year),   // Washington's Birthday
            last(weekday: 2, month: 5, year),     // Memorial Day
            nth(1, weekday: 2, month: 9, year),   // Labor Day
            nth(2, weekday: 2, month: 10, year),  // Columbus Day
            nth(4, weekday: 5, month: 11, year),  // Thanksgiving
        ]
    }

    /// 1 = Sunday … 7 = Saturday (Zeller's congruence, Gregorian).
    package static func weekday(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let m = month < 3 ? month + 12 : month
        let y = month < 3 ? year - 1 : year
        let h = (day + 13 * (m + 1) / 5 + y + y / 4 - y / 100 + y / 400) % 7  // 0 = Saturday
        return (h + 6) % 7 + 1
    }

    private static func daysIn(_ month: Int, _ year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private static func nth(_ n: Int, weekday target: Int, month: Int, _ year: Int) -> Day {
        let first = weekday(year, month, 1)
        let offset = (target - first + 7) % 7
        return Day(month: month, day: 1 + offset + 7 * (n - 1))
    }

    private static func last(weekday target: Int, month: Int, _ year: Int) -> Day {
        let lastDay = daysIn(month, year)
        let offset = (weekday(year, month, lastDay) - target + 7) % 7
        return Day(month: month, day: lastDay - offset)
    }

    private static func shift(_ year: Int, _ holiday: Day, by days: Int) -> Day {
        var month = holiday.month, day = holiday.day + days
        if day < 1 {
            month -= 1
            if month < 1 { return Day(month: 12, day: 31) }  // 1 Jan on a Saturday: observed 31 Dec of the year before
            day = daysIn(month, year)
        } else if day > daysIn(month, year) {
            day = 1
            month += 1
        }
        return Day(month: month, day: day)
    }
}
