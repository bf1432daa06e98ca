import Foundation
import ParleyCore

/// The four kinds of conversation of the sample month.
extension SampleMonth {
    private var signature: String { " - Bright Smile Dental" }

    /// A reminder from the appointment-reminder template, and what the customer made of it.
    mutating func appointment(_ customer: SampleWriter.Customer) {
        let agent = writer.random.weighted([("dana", 7), ("lee", 3)])
        let sent = workingTime(from: 2, through: 24)
        var visit = SampleClinic.nextOpening(after: sent.addingTimeInterval(Double(writer.random.int(1...4)) * 86_400))
        visit = visit.addingTimeInterval(Double(writer.random.int(0...12) * 30 * 60))
        if !SampleClinic.isOpen(visit) { visit = SampleClinic.nextOpening(after: visit) }
        writer.contact(customer, consentedDaysBefore: writer.random.int(20...400), firstContact: sent)
        writer.outbound(customer, sent, agent: agent, "Hi \(customer.first), a reminder of your appointment on \(SampleClinic.spoken(visit)). "
            + "Reply YES to confirm or tell us if you need another time. Reply STOP to opt out.\(signature)", template: "appointment-reminder")
        writer.event(customer, .useCase, sent, by: agent, useCase: "appointments", note: "from template appointment-reminder")
        guard writer.random.chance(0.86) else {
            writer.event(customer, .close, SampleClinic.nextOpening(after: visit), by: agent, note: "No answer; the appointment stood")
            appointments.append((customer.number, visit, writer.random.chance(0.14) ? "no-show" : "attended"))
            return
        }
        let answer = customerAnswer(after: sent)
        switch writer.random.weighted([("yes", 62), ("move", 20), ("cancel", 10), ("stop", 4), ("review", 4)]) {
        case "yes":
            writer.inbound(customer, answer, writer.random.pick(["Yes, see you then!", "YES", "Confirmed, thanks", "Yes 👍"]))
            let done = reply(to: answer, agent: agent)
            if writer.random.chance(0.6) { writer.outbound(customer, done, agent: agent,
                "Great, see you \(SampleClinic.spoken(visit))!\(signature)") }
            writer.event(customer, .close, done.addingTimeInterval(30), by: agent, outcome: "confirmed")
            appointments.append((customer.number, visit, writer.random.chance(0.05) ? "no-show" : "attended"))
        case "move":
            writer.inbound(customer, answer, "Can we move it? \(SampleClinic.weekdays[writer.random.int(1...5)]) would be better")
            var handler = agent
            if writer.random.chance(0.3) {
                handler = "sam"
                writer.event(customer, .assign, answer.addingTimeInterval(60), by: agent, assignee: "sam", note: "Sam has the schedule today")
            }
            let offered = reply(to: answer, agent: handler)
            let moved = SampleClinic.nextOpening(after: visit.addingTimeInterval(Double(writer.random.int(1...6)) * 86_400))
            writer.outbound(customer, offered, agent: handler, "We can do \(SampleClinic.spoken(moved)). Does that work?\(signature)",
                template: "reschedule")
            let yes = customerAnswer(after: offered)
            writer.inbound(customer, yes, "That works, thank you")
            let booked = reply(to: yes, agent: handler)
            writer.outbound(customer, booked, agent: handler, "Booked: \(SampleClinic.spoken(moved)). See you then!\(signature)")
            writer.event(customer, .close, booked.addingTimeInterval(30), by: handler, outcome: "rescheduled")
            appointments.append((customer.number, moved, writer.random.chance(0.07) ? "no-show" : "attended"))
        case "cancel":
            writer.inbound(customer, answer, "I need to cancel, sorry. I'll call to rebook")
            let done = reply(to: answer, agent: agent)
            writer.outbound(customer, done, agent: agent, "No problem, it's cancelled. Text us any time to rebook.\(signature)")
            writer.event(customer, .close, done.addingTimeInterval(30), by: agent, outcome: "cancelled")
            appointments.append((customer.number, visit, "cancelled"))
        case "stop":
            writer.optOut(customer, answer)
            appointments.append((customer.number, visit, writer.random.chance(0.3) ? "no-show" : "attended"))
        default:
            let decided = reply(to: answer, agent: "dana")
            let optOut = writer.random.chance(0.5)
            writer.review(customer, answer, body: "Please stop sending me so many messages", decided: decided, by: "dana", optOut: optOut)
            if !optOut { writer.event(customer, .close, decided.addingTimeInterval(60), by: "dana", note: "Kept: asked for fewer reminders") }
            appointments.append((customer.number, visit, writer.random.chance(0.2) ? "no-show" : "attended"))
        }
    }

    /// A billing or insurance question, texted at any hour, answered by Sam (Dana when he is out).
    mutating func support(_ customer: SampleWriter.Customer) {
        let day = writer.random.int(2...27)
        let asked = SampleClinic.at(day: day, minute: writer.random.weighted([(writer.random.int(420...1020), 70),
            (writer.random.int(1020...1320), 30)]))
        let agent = writer.random.weighted([("sam", 8), ("dana", 2)])
        writer.contact(customer, consentedDaysBefore: writer.random.int(30...700), firstContact: asked)
        writer.inbound(customer, asked, writer.random.pick([
            "Hi, does my insurance cover the cleaning last week?", "I got a bill for $85, what is it for?", "Can I pay my balance by text link?",
            "Do you take Delta Dental PPO?", "What time do you open on Friday?", "I think I was charged twice for my visit",
        ]))
        var last = reply(to: asked, agent: agent)
        writer.event(customer, .assign, last.addingTimeInterval(-30), by: agent, assignee: agent)
        writer.outbound(customer, last, agent: agent, writer.random.pick([
            "Thanks for asking! Let me check your account and get back to you shortly.", "Yes, we do. Your plan covers two cleanings a year.",
            "That is the balance after insurance for your 3 February visit. I can send a payment link if you like.",
        ]) + signature)
        if writer.random.chance(0.45) {
            let again = customerAnswer(after: last)
            writer.inbound(customer, again, writer.random.pick(["OK thanks. And the X-rays?", "Please send the link", "Got it, thank you!"]))
            last = reply(to: again, agent: agent)
            writer.outbound(customer, last, agent: agent, "All set: you're up to date. Anything else, just text us.\(signature)")
        }
        writer.event(customer, .close, last.addingTimeInterval(120), by: agent, useCase: "support",
                     outcome: writer.random.weighted([("resolved", 85), ("escalated", 10), ("unresolved", 5)]))
    }

    /// Maya's follow-up after a treatment quote, from the follow-up template.
    mutating func sales(_ customer: SampleWriter.Customer) {
        let sent = workingTime(from: 2, through: 24)
        writer.contact(customer, consentedDaysBefore: writer.random.int(10...300), firstContact: sent)
        let topic = writer.random.pick(["the quote for your crown", "whitening", "the Invisalign consultation", "the implant plan"])
        // Now and then a patient asked to be texted after work: a quiet-hours override with its reason.
        let late = writer.random.chance(0.12)
        let time = late ? SampleClinic.at(day: SampleClinic.local(sent).day, minute: 21 * 60 + 10) : sent
        writer.outbound(customer, time, agent: "maya", "Hi \(customer.first), following up on \(topic). Any questions I can answer? "
            + "Reply STOP to opt out.\(signature)", template: "follow-up",
                overrides: late ? [Override(rule: .quietHours, reason: "patient asked to be texted after 9 pm")] : [])
        writer.event(customer, .useCase, time, by: "maya", useCase: "sales", note: "from template follow-up")
        var last = time
        if writer.random.chance(0.7) {
            let answer = customerAnswer(after: time)
            writer.inbound(customer, answer, writer.random.pick(["How much would it be with my insurance?", "Can I think about it?",
                                                                 "Yes, let's book it", "Is there a payment plan?"]))
            last = reply(to: answer, agent: "maya")
            writer.outbound(customer, last, agent: "maya", "With your plan it comes to about $640, and we offer 6 months interest-free.\(signature)")
        }
        let closed = SampleClinic.nextOpening(after: last.addingTimeInterval(Double(writer.random.int(1...5)) * 86_400))
        writer.event(customer, .close, closed, by: "maya", outcome: writer.random.chance(0.35) ? "won" : "lost")
    }

    /// The open house on Thursday 26 February at 6 pm.
    mutating func event(_ customer: SampleWriter.Customer) {
        let sent = workingTime(from: 19, through: 25)
        writer.contact(customer, consentedDaysBefore: writer.random.int(10...300), firstContact: sent)
        writer.outbound(customer, sent, agent: "maya", "Hi \(customer.first), for our open house on Thursday 26 February: doors open 6 pm at "
            + "120 Main St; parking behind the building. Reply here with any questions. Reply STOP to opt out.\(signature)",
                template: "event-logistics")
        writer.event(customer, .useCase, sent, by: "maya", useCase: "events", note: "from template event-logistics")
        guard writer.random.chance(0.8) else {
            writer.event(customer, .close, SampleClinic.at(day: 27, minute: 9 * 60), by: "maya")
            return
        }
        let attending = writer.random.chance(0.7)
        let answer = customerAnswer(after: sent)
        writer.inbound(customer, answer, attending ? "We'll be there, can I bring my kids?" : "Can't make it this time, sorry")
        let answered = reply(to: answer, agent: "maya")
        writer.outbound(customer, answered, agent: "maya",
            attending ? "Of course, see you Thursday!\(signature)" : "No worries, next time!\(signature)")
        writer.event(customer, .close, answered.addingTimeInterval(60), by: "maya", outcome: attending ? "attending" : "declined")
    }

    /// The appointment book's export, as a booking system writes it.
    func exportAppointments(to path: String) throws {
        var lines = ["phone,appointment_at,status"]
        let words = ["attended": "Show", "no-show": "No Show", "cancelled": "Cancelled"]
        for appointment in appointments.sorted(by: { ($0.time, $0.number.e164) < ($1.time, $1.number.e164) }) {
            let (day, minute) = SampleClinic.local(appointment.time)
            let date = day > 28 ? String(format: "2026-03-%02d", day - 28) : String(format: "2026-02-%02d", day)
            let clock = String(format: "%02d:%02d", minute / 60, minute % 60)
            lines.append("\(appointment.number.formatted),\(date) \(clock),\(words[appointment.outcome]!)")
        }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
    }
}
