import Foundation
import ParleyCore

/// Works out an `OutcomeEvaluation` from the index's records: each imported
/// outcome of the use case is one appointment; its customer's conversation
/// (walked as the report walks it) says whether they texted with us in the
/// days before and how fast we answered them.
enum OutcomeEvaluator {
    /// Reply-time bands, in business time, with their labels.
    static let bands: [(limit: Double, label: String)] = [
        (15 * 60, "answered within 15m"), (3600, "answered in 15m–1h"), (4 * 3600, "answered in 1h–4h"),
        (.infinity, "answered after more than 4h"),
    ]
    static let unanswered = "customer's last text not answered before it", silent = "we texted; the customer did not"

    static func evaluate(_ query: OutcomeEvaluation.Query, records: [ConversationRecords], clock: BusinessClock) -> OutcomeEvaluation {
        var texted: [Bool] = [], untexted: [Bool] = []
        var byBand: [String: [Bool]] = [:]
        for conversation in records {
            let appointments = conversation.outcomes.filter { $0.useCase == query.useCase && inPeriod($0.time, query) }
            guard !appointments.isEmpty else { continue }
            var facts = ReportFacts()
            ConversationTimeline.walk(conversation, into: &facts)
            for appointment in appointments {
                let hit = appointment.outcome == query.outcome
                let start = appointment.time - Double(query.days) * 86_400
                let window = facts.messages.filter { $0.time >= start && $0.time < appointment.time }
                guard !window.isEmpty else { untexted.append(hit); continue }
                texted.append(hit)
                byBand[band(window, waits: facts.waits, before: appointment.time, clock: clock), default: []].append(hit)
            }
        }
        let comparison = [OutcomeEvaluation.Group(label: "texted in the \(window(query)) before", outcomes: texted),
                          OutcomeEvaluation.Group(label: "not texted", outcomes: untexted)]
        let order = bands.map(\.label) + [unanswered, silent]
        let difference = ProportionComparison(successes: comparison[0].withOutcome, of: comparison[0].appointments,
                                              against: comparison[1].withOutcome, of: comparison[1].appointments)
        return OutcomeEvaluation(
            useCase: query.useCase, outcome: query.outcome, days: query.days, comparison: comparison, difference: difference,
            bands: order.compactMap { label in byBand[label].map { OutcomeEvaluation.Group(label: label, outcomes: $0) } },
            verdict: verdict(comparison, difference: difference, query: query))
    }

    private static func inPeriod(_ time: Double, _ query: OutcomeEvaluation.Query) -> Bool {
        (query.since.map { time >= $0.timeIntervalSince1970 } ?? true) && (query.until.map { time < $0.timeIntervalSince1970 } ?? true)
    }

    /// How fast the customer's last text in the window was answered before the appointment.
    private static func band(_ window: [ReportFacts.MessageFact], waits: [ReportFacts.WaitFact], before time: Double,
        clock: BusinessClock) -> String {
        guard let last = window.last(where: { $0.inbound }) else { return silent }
        guard let wait = waits.first(where: { $0.answered && $0.start <= last.time && last.time <= $0.end && $0.end < time }) else {
            return unanswered
        }
        let business = clock.duration(from: Date(timeIntervalSince1970: wait.start), to: Date(timeIntervalSince1970: wait.end))
        return bands.first { business <= $0.limit }!.label
    }

    static func verdict(_ groups: [OutcomeEvaluation.Group], difference: ProportionComparison?, query: OutcomeEvaluation.Query) -> String {
        let (texted, untexted) = (groups[0], groups[1])
        let minimum = OutcomeEvaluation.minimumGroup
        guard texted.appointments >= minimum, untexted.appointments >= minimum, let difference, let rateA = texted.rate,
              let rateB = untexted.rate else {
            return "Too few to conclude: \(texted.appointments) \(query.useCase) outcomes with a conversation in the \(window(query)) before and "
                + "\(untexted.appointments) without; at least \(minimum) of each are needed."
        }
        var text = "Observational comparison: a \(query.outcome) rate of \(percent(rateA)) for appointments whose customer texted with us in the "
            + "\(window(query)) before against \(percent(rateB)) for the others, a difference of \(figures(difference)). "
        text += difference.excludesZero
            ? "A difference this large is unlikely to be chance alone, but who texts is not chance: customers who text may differ from those "
                + "who do not, so this is an association, not proof that texting caused it."
            : "The interval includes no difference at all: no clear difference."
        text += tooFew(texted, untexted, difference: difference)
        return text
    }

    /// Each automation's texted and held-out appointments of the use case: an outcome joins the
    /// automation's decision on the same appointment (the same number, time and use case).
    static func randomized(_ query: OutcomeEvaluation.Query, outcomes: [(number: String, time: Double, outcome: String)],
                           decisions: [String: (automation: String, heldOut: Bool)], shares: [String: Double]) -> [OutcomeEvaluation.Randomized] {
        var groups: [String: (texted: [Bool], heldOut: [Bool])] = [:]
        for outcome in outcomes where inPeriod(outcome.time, query) {
            guard let number = PhoneNumber(e164: outcome.number) else { continue }
            let appointment = AppointmentRecord(number: number, time: Date(timeIntervalSince1970: outcome.time), useCase: query.useCase, source: "",
                                                importedBy: "")
            guard let decision = decisions[appointment.id] else { continue }
            let hit = outcome.outcome == query.outcome
            if decision.heldOut { groups[decision.automation, default: ([], [])].heldOut.append(hit) } else {
                groups[decision.automation, default: ([], [])].texted.append(hit)
            }
        }
        return groups.keys.sorted().map { name in
            let texted = OutcomeEvaluation.Group(label: "texted by \(name)", outcomes: groups[name]!.texted)
            let heldOut = OutcomeEvaluation.Group(label: "held out at random", outcomes: groups[name]!.heldOut)
            let difference = ProportionComparison(successes: texted.withOutcome, of: texted.appointments, against: heldOut.withOutcome,
                                                  of: heldOut.appointments)
            return OutcomeEvaluation.Randomized(automation: name, share: shares[name], texted: texted, heldOut: heldOut, difference: difference,
                                                verdict: randomizedVerdict(texted, heldOut, difference: difference, query: query))
        }
    }

    static func randomizedVerdict(_ texted: OutcomeEvaluation.Group, _ heldOut: OutcomeEvaluation.Group, difference: ProportionComparison?,
                                  query: OutcomeEvaluation.Query) -> String {
        let minimum = OutcomeEvaluation.minimumGroup
        guard texted.appointments >= minimum, heldOut.appointments >= minimum, let difference, let rateA = texted.rate, let rateB = heldOut.rate else {
            return "Too few to conclude: \(texted.appointments) texted and \(heldOut.appointments) held-out \(query.useCase) with an outcome; "
                + "at least \(minimum) of each are needed." + tooFew(texted, heldOut, difference: difference)
        }
        var text = "Randomized comparison: a \(query.outcome) rate of \(percent(rateA)) for appointments texted against \(percent(rateB)) for "
            + "those held out at random, a difference of \(figures(difference)). "
        text += difference.excludesZero
            ? "Who was held out was chosen by chance after the same checks, so a difference this large is evidence that the texts caused it."
            : "The interval includes no difference at all: no clear effect of the texts."
        return text + tooFew(texted, heldOut, difference: difference)
    }

    /// The difference in points with its interval and test.
    private static func figures(_ difference: ProportionComparison) -> String {
        let points = { (share: Double) in String(format: "%+.1f", share * 100) }
        return "\(points(difference.difference)) points (95% interval \(points(difference.low)) to \(points(difference.high)); "
            + "two-sided p = \(String(format: "%.3f", difference.pValue)))"
    }

    /// Says how many appointments a study would need when the groups are smaller.
    private static func tooFew(_ first: OutcomeEvaluation.Group, _ second: OutcomeEvaluation.Group, difference: ProportionComparison?) -> String {
        guard let needed = difference?.neededPerGroup, min(first.appointments, second.appointments) < needed else { return "" }
        return " Too few to detect the \(Int((-ProportionComparison.relativeChange * 100).rounded()))% relative drop in no-shows that "
            + "reminders bring in the literature: that needs about \(needed) appointments in each group (80% power, 5% two-sided); there are "
            + "\(first.appointments) and \(second.appointments)."
    }

    static func window(_ query: OutcomeEvaluation.Query) -> String { query.days == 1 ? "day" : "\(query.days) days" }

    static func percent(_ share: Double) -> String { String(format: "%.1f%%", share * 100) }
}
