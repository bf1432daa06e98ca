import Foundation
import ParleyCore

/// A realistic month for the demo's mailbox—February 2026 at Bright Smile
/// Dental—made deterministically from a seed: appointment reminders and
/// the answers to them, billing questions at all hours, treatment follow-ups,
/// an open house; handoffs, reschedules, cancellations, opt-outs and review
/// holds; four agents who answer at their own pace. It also writes the
/// appointment book's export (shows and no-shows) for `parley outcome import`.
/// The hand-written conversations of March stay as they are: no number here
/// is one of theirs.
public struct SampleMonth {
    public let conversations: Int
    var writer: SampleWriter
    var appointments: [(number: PhoneNumber, time: Date, outcome: String)] = []

    /// At most 500 conversations: with 180 more appointment-book customers, that uses every number of the pool.
    public init(seed: UInt64 = 1, conversations: Int = 320) {
        self.conversations = min(max(conversations, 0), 500)
        writer = SampleWriter(seed: seed)
    }

    /// Writes the month's records into `mailbox` (a folder laid out like sample-repo/) and the export into `outcomesFile`.
    public mutating func write(into mailbox: String, outcomesFile: String) throws {
        var pool = Self.numbers()
        for index in 0..<conversations {
            let pick = writer.random.int(0...(pool.count - 1))
            let number = pool.remove(at: pick)
            let customer = SampleWriter.Customer(number: number,
                name: "\(SampleClinic.firstNames[index % SampleClinic.firstNames.count]) \(writer.random.pick(SampleClinic.lastNames))")
            switch writer.random.weighted([("appointments", 60), ("support", 20), ("sales", 12), ("events", 8)]) {
            case "appointments": appointment(customer)
            case "support": support(customer)
            case "sales": sales(customer)
            default: event(customer)
            }
        }
        // Customers of the appointment book who never texted with us: the evaluation's comparison group.
        for _ in 0..<180 {
            let number = pool.remove(at: writer.random.int(0...(pool.count - 1)))
            let time = workingTime(from: 2, through: 27)
            let outcome = writer.random.weighted([("attended", 76), ("no-show", 18), ("cancelled", 6)])
            appointments.append((number, time, outcome))
        }
        try writer.flush(to: mailbox)
        try exportAppointments(to: outcomesFile)
    }

    /// Fictional numbers (555-0100 to 555-0199) in eight Chicago-area codes, without the business's and the hand-written sample's.
    static func numbers() -> [PhoneNumber] {
        let taken: Set<String> = ["+13125550100", "+13125550147", "+13125550123", "+13125550185", "+13125550199", "+13125550176",
                                  "+17735550161", "+16305550134", "+18475550178", "+14145550112"]
        return ["312", "773", "630", "847", "708", "224", "331", "872"].flatMap { area in
            (100...199).map { "+1\(area)5550\($0)" }.filter { !taken.contains($0) }.map { PhoneNumber(e164: $0)! }
        }
    }

    /// A time the clinic is open between two days of February.
    mutating func workingTime(from first: Int, through last: Int) -> Date {
        while true {
            let day = writer.random.int(first...last)
            guard let hours = SampleClinic.hours(day: day) else { continue }
            let minute = writer.random.int(hours.lowerBound...(hours.upperBound - 60)) / 15 * 15
            return SampleClinic.at(day: day, minute: minute)
        }
    }

    /// When an agent answers a text that came at `time`: minutes during opening
    /// hours (now and then hours), else soon after the next opening.
    mutating func reply(to time: Date, agent: String) -> Date {
        let slow = agent == "lee" ? 2.0 : 1.0
        let minutes = writer.random.weighted([(writer.random.int(1...12), 70), (writer.random.int(12...45), 20), (writer.random.int(45...180), 8),
                                              (writer.random.int(180...400), 2)])
        let answered = time.addingTimeInterval(Double(minutes) * 60 * slow + Double(writer.random.int(0...59)))
        if SampleClinic.isOpen(time) && SampleClinic.isOpen(answered) { return answered }
        return SampleClinic.nextOpening(after: answered).addingTimeInterval(Double(writer.random.int(3...40) * 60))
    }

    /// When a customer answers: minutes to hours later, at any hour they are awake.
    mutating func customerAnswer(after time: Date) -> Date {
        var answer = time.addingTimeInterval(Double(writer.random.weighted([(writer.random.int(2...30), 60), (writer.random.int(30...300), 30),
                                                                          (writer.random.int(300...900), 10)]) * 60))
        let (day, minute) = SampleClinic.local(answer)
        if minute < 7 * 60 { answer = SampleClinic.at(day: day, minute: 7 * 60 + writer.random.int(0...120)) }
        return answer
    }
}
