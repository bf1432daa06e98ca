import Foundation

/// `parley report`: reads the history through the derived index, walks
/// every conversation and builds the report for a query.
public enum ReportMaker {
    public static func report(_ query: ReportQuery, for mailbox: Mailbox, progress: IndexProgress? = nil) throws(ParleyError) -> Report {
        let records = try ConversationRecords.load(mailbox.store.snapshot(), store: mailbox.store, progress: progress)
        return report(query, records: records, config: mailbox.config)
    }

    static func report(_ query: ReportQuery, records: [ConversationRecords], config: MailboxConfig) -> Report {
        ReportBuilder(facts: walk(records), query: query, settings: config.monitoring, clock: BusinessClock(for: config)).build()
    }

    /// Walks the conversations on every core, each on its own share, and
    /// joins the facts in conversation order: the same facts as one walk.
    static func walk(_ records: [ConversationRecords], shares wanted: Int? = nil) -> ReportFacts {
        let shares = max(1, wanted ?? (records.count < 256 ? 1 : min(ProcessInfo.processInfo.activeProcessorCount, 8)))
        let size = (records.count + shares - 1) / max(shares, 1)
        let parts = FactShares(count: shares)
        DispatchQueue.concurrentPerform(iterations: shares) { share in
            var facts = ReportFacts()
            for conversation in records[min(share * size, records.count)..<min((share + 1) * size, records.count)] {
                ConversationTimeline.walk(conversation, into: &facts)
            }
            parts.set(share, facts)
        }
        return parts.joined()
    }
}

/// Each share's facts, written by its own thread into its own slot.
private final class FactShares: @unchecked Sendable {
    private var parts: [ReportFacts]
    private let lock = NSLock()

    init(count: Int) { parts = Array(repeating: ReportFacts(), count: count) }

    func set(_ index: Int, _ facts: ReportFacts) { lock.withLock { parts[index] = facts } }

    func joined() -> ReportFacts {
        var all = ReportFacts()
        for part in parts {
            all.messages += part.messages
            all.waits += part.waits
            all.episodes += part.episodes
            all.reactions += part.reactions
        }
        return all
    }
}

extension ReportMaker {
    /// `parley report evaluation`: outcomes imported from another system against the conversations before them.
    public static func evaluation(_ query: OutcomeEvaluation.Query, for mailbox: Mailbox,
                                  progress: IndexProgress? = nil) throws(ParleyError) -> OutcomeEvaluation {
        guard let useCase = mailbox.config.monitoring.useCase(named: query.useCase) else {
            throw .invalidInput("'\(query.useCase)' is not a use case of this mailbox (parley.yaml, use_cases)")
        }
        guard useCase.outcomes.contains(query.outcome) else {
            throw .invalidInput("'\(query.outcome)' is not an outcome of \(useCase.name): use one of \(useCase.outcomes.joined(separator: ", "))")
        }
        let records = try ConversationRecords.load(mailbox.store.snapshot(), store: mailbox.store, progress: progress)
        return OutcomeEvaluator.evaluate(query, records: records, clock: BusinessClock(for: mailbox.config))
    }
}
