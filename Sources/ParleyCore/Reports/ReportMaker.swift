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
