import Foundation
import ParleyCore

/// The report's sections that are counts rather than service times.
extension ReportBuilder {
    /// Outcomes of the conversations closed in the period, per use case,
    /// with their share of that use case's closes ("(none)": closed without one).
    func outcomes(_ slices: [Slice]) -> [Report.OutcomeCount] {
        var counts: [String: [String: Int]] = [:]
        for case .closed(let index, _, _) in slices {
            let episode = facts.episodes[index]
            counts[episode.useCase ?? Self.unclassified, default: [:]][episode.outcome ?? Self.none, default: 0] += 1
        }
        return counts.keys.sorted().flatMap { useCase in
            let byOutcome = counts[useCase]!, closed = byOutcome.values.reduce(0, +)
            let listed = settings.useCase(named: useCase)?.outcomes ?? []
            let order = listed + byOutcome.keys.filter { !listed.contains($0) }.sorted()
            return order.compactMap { outcome in
                byOutcome[outcome].map { Report.OutcomeCount(useCase: useCase, outcome: outcome, count: $0, rate: Double($0) / Double(closed)) }
            }
        }
    }

    /// What became of the messages sent in the period: latest status, the
    /// most frequent error codes and the cost the gateways reported.
    func delivery() -> Report.Delivery {
        var byStatus: [String: Int] = [:], errors: [String: Int] = [:], cost: [String: Double] = [:]
        var sent = 0
        for message in facts.messages where !message.inbound && counts(message) {
            sent += 1
            byStatus[message.status.rawValue, default: 0] += 1
            if let code = message.errorCode { errors[code, default: 0] += 1 }
            if let price = message.price { cost[message.priceUnit ?? "?", default: 0] += price }
        }
        let topErrors = errors.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(10).map { Report.Delivery.ErrorCount(code: $0.key,
            count: $0.value) }
        return Report.Delivery(sent: sent, byStatus: byStatus, topErrors: Array(topErrors),
                               cost: cost.keys.sorted().map { Report.Delivery.Cost(unit: $0, amount: (cost[$0]! * 10_000).rounded() / 10_000) })
    }

    /// Per template (or per agent): messages people sent in the period, how
    /// many the customer answered before our next message, and the
    /// opt-outs and review holds that followed them.
    func receptions(byTemplate: Bool) -> [Report.Reception] {
        var sent: [String: (sent: Int, replied: Int)] = [:], optOuts: [String: Int] = [:], reviews: [String: Int] = [:]
        for message in facts.messages where !message.inbound && !message.automatic && counts(message) {
            let key = byTemplate ? message.template ?? Self.none : message.agent
            sent[key, default: (0, 0)].sent += 1
            if message.replied { sent[key, default: (0, 0)].replied += 1 }
        }
        for reaction in facts.reactions where query.contains(reaction.time) && (query.agent == nil || reaction.agent == query.agent) {
            let key = (byTemplate ? reaction.template : reaction.agent) ?? Self.none
            if reaction.optOut { optOuts[key, default: 0] += 1 } else { reviews[key, default: 0] += 1 }
        }
        let keys = Set(sent.keys).union(optOuts.keys).union(reviews.keys)
        return keys.sorted().map { key in
            Report.Reception(key: key, sent: sent[key]?.sent ?? 0, replied: sent[key]?.replied ?? 0, optOuts: optOuts[key] ?? 0,
                             reviews: reviews[key] ?? 0)
        }
    }

    /// Every compliance rule a person overrode in the period, with the reason given.
    func overrides() -> [Report.OverrideUse] {
        facts.messages.filter { !$0.inbound && !$0.overrides.isEmpty && counts($0) }.flatMap { message in
            message.overrides.map { override in
                Report.OverrideUse(time: Date(timeIntervalSince1970: message.time), number: message.number, agent: message.agent,
                                   rule: override.rule.rawValue, reason: override.reason)
            }
        }
    }

    /// Messages in and out per business-zone day, every day from the first to the last.
    func daily(_ slices: [Slice]) -> [Report.DayVolume] {
        var counts: [Int: (in: Int, out: Int)] = [:]
        for case .message(let index) in slices {
            let message = facts.messages[index]
            let day = clock.localDay(of: message.time)
            if message.inbound { counts[day, default: (0, 0)].in += 1 } else { counts[day, default: (0, 0)].out += 1 }
        }
        guard let first = counts.keys.min(), let last = counts.keys.max() else { return [] }
        return (first...last).map { day in
            Report.DayVolume(date: BusinessHours.dateText(day), messagesIn: counts[day]?.in ?? 0, messagesOut: counts[day]?.out ?? 0)
        }
    }

    /// Replies by business time taken, in bins a person reads at a glance.
    func replyHistogram(_ slices: [Slice]) -> [Report.HistogramBin] {
        let edges: [Double] = [0, 300, 900, 1800, 3600, 7200, 14_400, 28_800]
        let labels = ["<5m", "5–15m", "15–30m", "30m–1h", "1–2h", "2–4h", "4–8h", "8h+"]
        var first = Array(repeating: 0, count: edges.count), later = first
        for case .reply(let index, let sample) in slices {
            let bin = (edges.lastIndex { sample.business >= $0 }) ?? 0
            if facts.waits[index].first { first[bin] += 1 } else { later[bin] += 1 }
        }
        return edges.indices.map { index in
            Report.HistogramBin(label: labels[index], from: edges[index], to: index + 1 < edges.count ? edges[index + 1] : nil,
                                firstReplies: first[index], replies: later[index])
        }
    }

    /// Counts by local weekday (Sunday first) and hour.
    func hourOfWeek(_ times: [Double]) -> [[Int]] {
        var grid = Array(repeating: Array(repeating: 0, count: 24), count: 7)
        for time in times {
            let local = time + clock.offset(at: time)
            let day = Int((local / 86_400).rounded(.down))
            let hour = Int((local - Double(day) * 86_400) / 3600)
            grid[BusinessClock.weekday(ofDay: day)][min(max(hour, 0), 23)] += 1
        }
        return grid
    }
}
