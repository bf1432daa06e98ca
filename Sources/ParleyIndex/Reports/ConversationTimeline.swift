import Foundation
import ParleyCore

/// Walks one conversation in time order—messages, triage events and consent
/// records merged—and lays down the report's facts: each message with the
/// use case and assignee of its moment, each customer wait, each episode
/// from opening to close, each opt-out or review hold with the message that
/// preceded it. Every clone holds the same files, so every clone derives
/// the same facts (at one instant: messages, then events, then consent
/// records, each in file-name order).
struct ConversationTimeline {
    private let records: ConversationRecords
    private var facts: ReportFacts
    private var assignee: String?
    private var useCase: String?
    private var episode: ReportFacts.EpisodeFact?
    private var episodeReplied = false
    /// Where this episode's facts start in `facts`, to give them its use case at the close.
    private var firstMessage = 0, firstWait = 0
    private var wait: (start: Double, template: String?)?
    /// The index in `facts.messages` of the last outbound message.
    private var lastOutbound: Int?

    private enum Step { case message(IndexedMessage), event(ConversationRecords.EventRecord),
        consent(ConversationRecords.ConsentRecord) }

    /// Adds the facts of `records` to `facts`.
    static func walk(_ records: ConversationRecords, into facts: inout ReportFacts) {
        var timeline = ConversationTimeline(records: records, facts: facts)
        facts = ReportFacts()  // release the caller's copy so the walk appends in place
        for step in steps(of: records) {
            switch step {
            case .message(let message): timeline.take(message)
            case .event(let event): timeline.take(event)
            case .consent(let record): timeline.take(record)
            }
        }
        timeline.finishEpisode(end: nil, outcome: nil, closer: nil)
        facts = timeline.facts
    }

    private init(records: ConversationRecords, facts: ReportFacts) {
        self.records = records
        self.facts = facts
    }

    /// The three lists, each already in time order (file names start with
    /// the time), merged: at one instant messages come first, then events,
    /// then consent records.
    private static func steps(of records: ConversationRecords) -> [Step] {
        var steps: [Step] = []
        steps.reserveCapacity(records.messages.count + records.events.count + records.consent.count)
        var message = 0, event = 0, consent = 0
        while true {
            let times = [records.messages.indices.contains(message) ? records.messages[message].time : .infinity,
                         records.events.indices.contains(event) ? records.events[event].time : .infinity,
                         records.consent.indices.contains(consent) ? records.consent[consent].time : .infinity]
            guard let earliest = times.min(), earliest < .infinity else { return steps }
            if times[0] == earliest {
                steps.append(.message(records.messages[message]))
                message += 1
            } else if times[1] == earliest {
                steps.append(.event(records.events[event]))
                event += 1
            } else {
                steps.append(.consent(records.consent[consent]))
                consent += 1
            }
        }
    }

    private mutating func take(_ message: IndexedMessage) {
        if episode == nil { startEpisode(at: message.time) }
        // Parley's own replies, its automations' texts and other systems' messages (imported reminders) answer nobody's wait.
        let automatic = !message.inbound && (message.agent == nil || message.agent == Agent.systemHandle
            || AutomatedMessage.isAutomated(agent: message.agent) || Automation.name(ofAgent: message.agent) != nil)
        if message.inbound {
            if let lastOutbound { facts.messages[lastOutbound].replied = true }
            if wait == nil, !message.keyword {
                wait = (message.time, lastOutbound.flatMap { facts.messages[$0].template })
            }
        } else {
            if episode?.template == nil, lastOutbound.map({ $0 < firstMessage }) ?? true { episode?.template = message.template }
            if !automatic, let open = wait {
                facts.waits.append(ReportFacts.WaitFact(
                    number: records.number, start: open.start, end: message.time, first: !episodeReplied, answered: true, responder: message.agent,
                    template: open.template, useCase: nil))
                episode?.waits.append((open.start, message.time))
                episodeReplied = true
                wait = nil
            }
            lastOutbound = facts.messages.count
        }
        facts.messages.append(ReportFacts.MessageFact(
            number: records.number, time: message.time, inbound: message.inbound,
            agent: message.inbound ? (assignee ?? Self.unassigned) : (message.agent ?? Agent.systemHandle),
            template: message.inbound ? lastOutboundTemplate(before: facts.messages.count) : message.template, status: message.status,
            errorCode: message.errorCode, price: message.price, priceUnit: message.priceUnit, overrides: message.overrides, automatic: automatic))
    }

    private func lastOutboundTemplate(before index: Int) -> String? {
        lastOutbound.flatMap { $0 < index ? facts.messages[$0].template : nil }
    }

    private mutating func take(_ event: ConversationRecords.EventRecord) {
        switch event.kind {
        case .assign: assignee = event.assignee
        case .unassign: assignee = nil
        case .useCase: useCase = event.useCase
        case .tag, .untag, .note, .wake, .unreachable, .reachable: break
        // A snoozed conversation waits on the customer: their wait stops at the snooze; a new one starts when they write.
        case .snooze: endOpenWait(at: event.time)
        case .reopen: if episode == nil { startEpisode(at: event.time) }
        case .close:
            if let chosen = event.useCase { useCase = chosen }
            if episode != nil {
                finishEpisode(end: event.time, outcome: event.outcome, closer: event.actor)
            } else if let last = facts.episodes.indices.last, facts.episodes[last].number == records.number {
                // Closed again without a new message: a correction of the last outcome.
                facts.episodes[last].outcome = event.outcome
                facts.episodes[last].useCase = useCase
            }
        }
    }

    private mutating func take(_ record: ConversationRecords.ConsentRecord) {
        guard record.kind == .optedOut || record.kind == .reviewOpened else { return }
        let last = lastOutbound.map { facts.messages[$0] }
        facts.reactions.append(ReportFacts.ReactionFact(
            number: records.number, time: record.time, optOut: record.kind == .optedOut, template: last?.template, agent: last?.agent,
            useCase: useCase))
    }

    /// Ends the customer's open wait, unanswered (a close or a snooze).
    private mutating func endOpenWait(at time: Double) {
        guard let open = wait else { return }
        episode?.waits.append((open.start, time))
        facts.waits.append(ReportFacts.WaitFact(number: records.number, start: open.start, end: time, first: !episodeReplied, answered: false,
                                                responder: nil, template: open.template, useCase: nil))
        wait = nil
    }

    private mutating func startEpisode(at time: Double) {
        episode = ReportFacts.EpisodeFact(number: records.number, start: time, useCase: nil, outcome: nil, agent: Self.unassigned)
        episodeReplied = false
        firstMessage = facts.messages.count
        firstWait = facts.waits.count
    }

    /// Closes the episode (or, with `end` nil, leaves it open at the end of
    /// the history) and gives its facts the conversation's use case.
    fileprivate mutating func finishEpisode(end: Double?, outcome: String?, closer: String?) {
        guard episode != nil else { return }
        if let end { endOpenWait(at: end) }
        guard var finished = episode else { return }
        finished.end = end
        finished.outcome = outcome
        finished.useCase = useCase
        finished.agent = assignee ?? closer ?? Self.unassigned
        for index in firstMessage..<facts.messages.count { facts.messages[index].useCase = useCase }
        for index in firstWait..<facts.waits.count { facts.waits[index].useCase = useCase }
        facts.episodes.append(finished)
        episode = nil
    }

    static let unassigned = "(unassigned)"
}
