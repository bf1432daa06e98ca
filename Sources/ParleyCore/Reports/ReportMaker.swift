import Foundation

/// `parley report`: reads the history through the derived index, walks
/// every conversation and builds the report for a query.
public enum ReportMaker {
    public static func report(_ query: ReportQuery, for mailbox: Mailbox, progress: IndexProgress? = nil) throws(ParleyError) -> Report {
        let records = try ConversationRecords.load(mailbox.store.snapshot(), store: mailbox.store, progress: progress)
        return report(query, records: records, config: mailbox.config)
    }

    static func report(_ query: ReportQuery, records: [ConversationRecords], config: MailboxConfig) -> Report {
        var facts = ReportFacts()
        for conversation in records { ConversationTimeline.walk(conversation, into: &facts) }
        return ReportBuilder(facts: facts, query: query, settings: config.monitoring, clock: BusinessClock(for: config)).build()
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
