import Foundation
import ParleyCore

/// The clinic of the sample month: Bright Smile Dental in Chicago, open
/// Monday–Thursday 08:00–17:00 and Friday 08:00–14:00, closed on Presidents'
/// Day (16 February 2026), with four people answering texts. February has
/// no daylight-saving change, so every local time is −06:00.
enum SampleClinic {
    static let business = try! PhoneNumber.parse("+13125550100")
    static let start = Timestamp.parse("2026-02-01T00:00:00-06:00")!
    static let closedDay = 16
    static let disclosure = "I agree to receive appointment and billing texts from Bright Smile Dental at this number. Msg & data rates may apply. "
        + "Msg frequency varies. Reply HELP for help, STOP to opt out."

    /// Local time on a day of February 2026 (1–28; later days run into March).
    static func at(day: Int, minute: Int) -> Date { start.addingTimeInterval(Double((day - 1) * 86_400 + minute * 60)) }

    /// The day of the month and minute of the day of an instant.
    static func local(_ date: Date) -> (day: Int, minute: Int) {
        let seconds = Int(date.timeIntervalSince(start))
        return (seconds / 86_400 + 1, seconds % 86_400 / 60)
    }

    /// Opening hours of a day as minutes after midnight; nil when closed (1 February 2026 is a Sunday).
    static func hours(day: Int) -> ClosedRange<Int>? {
        guard day != closedDay else { return nil }
        switch (day - 1) % 7 {
        case 1...4: return 480...1020
        case 5: return 480...840
        default: return nil
        }
    }

    static func isOpen(_ date: Date) -> Bool {
        let (day, minute) = local(date)
        return hours(day: day).map { $0.contains(minute) && minute < $0.upperBound } ?? false
    }

    /// The next opening at or after `date`.
    static func nextOpening(after date: Date) -> Date {
        if isOpen(date) { return date }
        var (day, minute) = local(date)
        while true {
            if let open = hours(day: day), minute < open.lowerBound { return at(day: day, minute: open.lowerBound) }
            day += 1
            minute = 0
        }
    }

    static let weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    /// "Thursday 12 February at 3:30 pm".
    static func spoken(_ date: Date) -> String {
        let (day, minute) = local(date)
        let month = day > 28 ? "March" : "February", date = day > 28 ? day - 28 : day
        let hour = minute / 60, rest = minute % 60
        let clock = "\(hour % 12 == 0 ? 12 : hour % 12)" + (rest == 0 ? "" : String(format: ":%02d", rest)) + (hour < 12 ? " am" : " pm")
        return "\(weekdays[(day - 1) % 7]) \(date) \(month) at \(clock)"
    }

    static let firstNames = ["Ava", "Ben", "Carla", "Dev", "Elena", "Farid", "Grace", "Hiro", "Imani", "Jonas", "Keisha", "Luis", "Mei", "Nadia",
                             "Omar", "Paula", "Quinn", "Rosa", "Sanjay", "Tara", "Uma", "Victor", "Wen", "Ximena", "Yusuf", "Zoe", "Aaron", "Bianca",
                             "Caleb", "Dalia", "Ethan", "Fatima", "Gabe", "Hana", "Isaac", "Jada", "Kofi", "Lena", "Marco", "Nina"]
    static let lastNames = ["Alvarez", "Brooks", "Chen", "Dubois", "Edwards", "Flores", "Garcia", "Haddad", "Ito", "Johnson", "Kowalski",
                            "Lopez", "Murphy", "Nguyen", "Okoro", "Patel", "Quintero", "Rossi", "Schmidt", "Thompson", "Usman", "Vargas",
                            "Walker", "Xu", "Young", "Zielinski"]
}
