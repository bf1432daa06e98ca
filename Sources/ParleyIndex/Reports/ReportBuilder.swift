import Foundation
import ParleyCore

/// Turns the walked facts into a `Report`: keeps what falls in the period
/// (and belongs to the agent asked for), measures every wait and episode
/// once in business and calendar time, then adds them up per slice.
struct ReportBuilder {
    let facts: ReportFacts
    let query: ReportQuery
    let settings: MonitoringSettings
    let clock: BusinessClock
    /// Day and week names, made once each rather than once a message.
    private let periodNames = PeriodNames()

    /// One counted thing, measured: the index of its fact in `facts`
    /// (a million messages are not copied again).
    enum Slice {
        case message(Int)
        case reply(Int, DurationStats.Sample)
        case opened(Int)
        case closed(Int, resolution: DurationStats.Sample, wait: DurationStats.Sample)
    }

    func build() -> Report {
        let slices = measuredSlices()
        let grouped = rows(slices)
        return Report(
            period: Report.Period(since: query.since, until: query.until, timeZone: clock.zone.identifier, agent: query.agent),
            grouping: query.grouping, total: grouped.total, rows: grouped.asked, byAgent: grouped.byAgent, byUseCase: grouped.byUseCase,
            outcomes: outcomes(slices), delivery: delivery(), templates: receptions(byTemplate: true),
            agents: receptions(byTemplate: false), overrides: overrides(),
            inboundByHourOfWeek: hourOfWeek(slices.compactMap { if case .message(let index) = $0, facts.messages[index].inbound {
                facts.messages[index].time } else { nil } }),
            repliesByHourOfWeek: hourOfWeek(slices.compactMap { if case .reply(let index, _) = $0 { facts.waits[index].end } else { nil } }),
            daily: daily(slices), replyHistogram: replyHistogram(slices),
            targets: settings.useCases.map { Report.Targets(useCase: $0.name, firstResponse: $0.firstResponse, response: $0.response,
                                                            resolution: $0.resolution) })
    }

    static let none = "(none)", unclassified = "(unclassified)"

    func counts(_ message: ReportFacts.MessageFact) -> Bool {
        query.contains(message.time) && (query.agent == nil || message.agent == query.agent)
    }

    private func measuredSlices() -> [Slice] {
        var slices: [Slice] = facts.messages.indices.filter { counts(facts.messages[$0]) }.map { .message($0) }
        var targets: [String?: (firstResponse: Double?, response: Double?, resolution: Double?)] = [:]
        func target(_ useCase: String?) -> (firstResponse: Double?, response: Double?, resolution: Double?) {
            if let known = targets[useCase] { return known }
            targets[useCase] = settings.targets(for: useCase)
            return targets[useCase]!
        }
        for (index, wait) in facts.waits.enumerated()
        where wait.answered && query.contains(wait.end) && (query.agent == nil || wait.responder == query.agent) {
            let targets = target(wait.useCase)
            slices.append(.reply(index, measure(wait.start, wait.end, target: wait.first ? targets.firstResponse : targets.response)))
        }
        for (index, episode) in facts.episodes.enumerated() where query.agent == nil || episode.agent == query.agent {
            if query.contains(episode.start) { slices.append(.opened(index)) }
            guard let end = episode.end, query.contains(end) else { continue }
            let waits = episode.waits.map { measure($0.start, $0.end, target: nil) }
            slices.append(.closed(
                index, resolution: measure(episode.start, end, target: target(episode.useCase).resolution),
                wait: DurationStats.Sample(business: waits.reduce(0) { $0 + $1.business }, calendar: waits.reduce(0) { $0 + $1.calendar },
                    target: nil)))
        }
        return slices
    }

    private func measure(_ start: Double, _ end: Double, target: Double?) -> DurationStats.Sample {
        DurationStats.Sample(business: clock.duration(from: Date(timeIntervalSince1970: start), to: Date(timeIntervalSince1970: end)),
                             calendar: max(0, end - start), target: target)
    }

    private func key(_ slice: Slice, _ grouping: ReportQuery.Grouping) -> String {
        switch slice {
        case .message(let index):
            let message = facts.messages[index]
            switch grouping {
            case .agent: return message.agent
            case .useCase: return message.useCase ?? Self.unclassified
            case .template: return message.template ?? Self.none
            case .day, .week: return period(message.time, grouping)
            }
        case .reply(let index, _):
            let wait = facts.waits[index]
            switch grouping {
            case .agent: return wait.responder ?? Self.none
            case .useCase: return wait.useCase ?? Self.unclassified
            case .template: return wait.template ?? Self.none
            case .day, .week: return period(wait.end, grouping)
            }
        case .opened(let index), .closed(let index, _, _):
            let episode = facts.episodes[index]
            switch grouping {
            case .agent: return episode.agent
            case .useCase: return episode.useCase ?? Self.unclassified
            case .template: return episode.template ?? Self.none
            case .day, .week:
                if case .closed = slice { return period(episode.end ?? episode.start, grouping) }
                return period(episode.start, grouping)
            }
        }
    }

    /// The local date of `time` (`day`), or of the Monday of its week (`week`).
    private func period(_ time: Double, _ grouping: ReportQuery.Grouping) -> String {
        let day = clock.localDay(of: time)
        return periodNames.name(of: grouping == .week ? day - (BusinessClock.weekday(ofDay: day) + 6) % 7 : day, week: grouping == .week)
    }

    private struct Accumulator {
        var messagesIn = 0, messagesOut = 0, opened = 0, closed = 0
        var firstReply: [DurationStats.Sample] = [], reply: [DurationStats.Sample] = []
        var customerWait: [DurationStats.Sample] = [], resolution: [DurationStats.Sample] = []
    }

    /// The whole period, and the breakdowns by agent, by use case and by what `--by` asked, in one pass.
    private func rows(_ slices: [Slice]) -> (total: Report.Row, byAgent: [Report.Row], byUseCase: [Report.Row], asked: [Report.Row]) {
        var total = Accumulator(), byAgent: [String: Accumulator] = [:], byUseCase: [String: Accumulator] = [:], asked: [String: Accumulator] = [:]
        for slice in slices {
            // Changed in place through the dictionary: one lookup, no copy.
            Self.add(slice, to: &total, facts: facts)
            Self.add(slice, to: &byAgent[key(slice, .agent), default: Accumulator()], facts: facts)
            Self.add(slice, to: &byUseCase[key(slice, .useCase), default: Accumulator()], facts: facts)
            if let grouping = query.grouping { Self.add(slice, to: &asked[key(slice, grouping), default: Accumulator()], facts: facts) }
        }
        func rows(_ byKey: [String: Accumulator]) -> [Report.Row] { byKey.keys.sorted().map { Self.row($0, byKey[$0]!) } }
        return (Self.row("all", total), rows(byAgent), rows(byUseCase), rows(asked))
    }

    private static func row(_ name: String, _ row: Accumulator) -> Report.Row {
        Report.Row(key: name, messagesIn: row.messagesIn, messagesOut: row.messagesOut, conversationsOpened: row.opened,
                   conversationsClosed: row.closed, firstReply: DurationStats(row.firstReply), reply: DurationStats(row.reply),
                   customerWait: DurationStats(row.customerWait), resolution: DurationStats(row.resolution))
    }

    private static func add(_ slice: Slice, to row: inout Accumulator, facts: ReportFacts) {
        switch slice {
        case .message(let index): if facts.messages[index].inbound { row.messagesIn += 1 } else { row.messagesOut += 1 }
        case .reply(let index, let sample): if facts.waits[index].first { row.firstReply.append(sample) } else { row.reply.append(sample) }
        case .opened: row.opened += 1
        case .closed(_, let resolution, let wait):
            row.closed += 1
            row.resolution.append(resolution)
            row.customerWait.append(wait)
        }
    }
}

/// "2026-03-09" and "week of 2026-03-09" by day number, formatted once.
private final class PeriodNames {
    private var names: [Int: String] = [:]

    func name(of day: Int, week: Bool) -> String {
        let key = week ? -day - 1 : day
        if let known = names[key] { return known }
        let name = (week ? "week of " : "") + BusinessHours.dateText(day)
        names[key] = name
        return name
    }
}
