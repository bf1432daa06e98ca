import Foundation
import GRDB
import ParleyCore

/// `parley report`: reads the history through the derived index, walks
/// every conversation and builds the report for a query.
public enum ReportMaker {
    public static func report(_ query: ReportQuery, for mailbox: Mailbox, progress: IndexProgress? = nil) throws(ParleyError) -> Report {
        let (facts, problems) = try storedFacts(mailbox.store.snapshot(), store: mailbox.store, progress: progress)
        var report = ReportBuilder(facts: facts, query: query, settings: mailbox.config.monitoring, clock: BusinessClock(for: mailbox.config)).build()
        report.unreadable = problems.map(\.description)
        report.teamwork = try teamwork(query, for: mailbox)
        report.deliverability = try DeliverabilityReport.build(query, for: mailbox)
        report.automations = try AutomationReport.build(query, for: mailbox)
        return report
    }

    /// Approvals (a held text's id is a ULID of the moment it was held) and snoozes in the period.
    static func teamwork(_ query: ReportQuery, for mailbox: Mailbox) throws(ParleyError) -> Report.Teamwork {
        let since = query.since?.timeIntervalSince1970 ?? -Double.greatestFiniteMagnitude
        let until = query.until?.timeIntervalSince1970 ?? Double.greatestFiniteMagnitude
        let (waits, snoozes) = try mailbox.store.sqlIndex().read(at: mailbox.store.snapshot(), details: .all, progress: nil) { db in
            let approved = try Row.fetchAll(db, sql: """
                SELECT id, time FROM messages WHERE approved_by IS NOT NULL AND time >= ? AND time < ? AND (? IS NULL OR agent = ?)
                """, arguments: [since, until, query.agent, query.agent])
            let waits = approved.compactMap { row -> Double? in
                guard let held = ULID(row["id"] as String)?.time else { return nil }
                return max(0, (row["time"] as Double) - held.timeIntervalSince1970)
            }
            let snoozes = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events WHERE kind = 'snooze' AND time >= ? AND time < ? AND (? IS NULL OR actor = ?)",
                                           arguments: [since, until, query.agent, query.agent]) ?? 0
            return (waits, snoozes)
        }
        let figures = DurationStats.figures(waits)
        return Report.Teamwork(approved: waits.count, approvalWaitMedian: figures?.median, approvalWaitLongest: figures?.max,
                               awaitingApproval: try mailbox.approvals.waiting().count, snoozes: snoozes)
    }

    /// Every conversation's facts as the index keeps them (walked when the
    /// conversation last changed), in number order, and the conversations
    /// that could not be read. A blob that cannot be read is walked again
    /// from the conversation's rows.
    static func storedFacts(_ snapshot: any StoreSnapshot, store: any MailboxStore,
                            progress: IndexProgress?) throws(ParleyError) -> (ReportFacts, [ParleyError]) {
        try store.sqlIndex().read(at: snapshot, details: .all, progress: progress) { db in
            var facts = ReportFacts()
            let rows = try Row.fetchCursor(db, sql: "SELECT number, facts FROM report_facts ORDER BY number")
            while let row = try rows.next() {
                let number: String = row[0]
                let read = try row.withUnsafeData(atIndex: 1) { data in data.map { FactCoding.decode($0, number: number, into: &facts) } ?? false }
                if !read {
                    for records in try ConversationRecords.read(db, number: number) { ConversationTimeline.walk(records, into: &facts) }
                }
            }
            return (facts, try MailboxIndex.problems(db))
        }
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
        // Only the customers with an imported outcome of the use case are read.
        let (records, outcomes, decisions) = try mailbox.store.sqlIndex().read(at: mailbox.store.snapshot(), details: .all, progress: progress) { db in
            let records = try String.fetchAll(db, sql: "SELECT DISTINCT number FROM outcomes WHERE use_case = ? ORDER BY number",
                                              arguments: [query.useCase]).flatMap { number in try ConversationRecords.read(db, number: number) }
            let outcomes = try Row.fetchAll(db, sql: "SELECT number, time, outcome FROM outcomes WHERE use_case = ?", arguments: [query.useCase])
                .map { (number: $0[0] as String, time: $0[1] as Double, outcome: $0[2] as String) }
            // The automations' decisions on appointments: texted, or held out by the holdout's draw.
            var decisions: [String: (automation: String, heldOut: Bool)] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT subject, automation, kind FROM automation_records WHERE kind IN ('sent', 'held_out') AND subject LIKE 'AP%' ORDER BY time
                """) {
                decisions[row[0]] = (row[1], (row[2] as String) == AutomationRecord.Kind.heldOut.rawValue)
            }
            return (records, outcomes, decisions)
        }
        var evaluation = OutcomeEvaluator.evaluate(query, records: records, clock: BusinessClock(for: mailbox.config))
        let shares = Dictionary(((try? mailbox.automations.all()) ?? []).compactMap { automation in automation.holdout.map { (automation.name, $0.share) } },
                                uniquingKeysWith: { first, _ in first })
        evaluation.randomized = OutcomeEvaluator.randomized(query, outcomes: outcomes, decisions: decisions, shares: shares)
        return evaluation
    }
}
