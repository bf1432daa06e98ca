import Foundation
import GRDB
import ParleyCore

/// The report's "Automations" section: what each automation did in the
/// period (texts sent, customers held out, answers read and what they
/// said, answers left to a person), and the satisfaction ratings customers
/// gave, per agent whose conversation the question followed and per use
/// case—from the automations' own records in the derived index.
public struct AutomationReport: Codable, Sendable, Equatable {
    public struct Row: Codable, Sendable, Equatable {
        public let automation: String
        public var sent = 0
        public var heldOut = 0
        /// Answers read as an outcome or a rating, by what they were read as.
        public var answers: [String: Int] = [:]
        /// Answers a person had to read.
        public var toPerson = 0

        init(automation: String) { self.automation = automation }
    }

    public struct Rating: Codable, Sendable, Equatable {
        public let agent: String
        public let useCase: String?
        /// How many answered with 1, 2, 3, 4 and 5.
        public let counts: [Int]
        public var answers: Int { counts.reduce(0, +) }
        public var mean: Double? { answers == 0 ? nil : Double(counts.enumerated().map { ($0.offset + 1) * $0.element }.reduce(0, +)) / Double(answers) }
    }

    public let automations: [Row]
    public let ratings: [Rating]

    public var isEmpty: Bool { automations.isEmpty }

    static func build(_ query: ReportQuery, for mailbox: Mailbox) throws(ParleyError) -> AutomationReport {
        let since = query.since?.timeIntervalSince1970 ?? -Double.greatestFiniteMagnitude
        let until = query.until?.timeIntervalSince1970 ?? Double.greatestFiniteMagnitude
        let rows = try mailbox.store.sqlIndex().read(at: mailbox.store.snapshot(), details: .all) { db in
            try GRDB.Row.fetchAll(db, sql: """
                SELECT automation, kind, answer, agent, use_case FROM automation_records WHERE time >= ? AND time < ? ORDER BY automation
                """, arguments: [since, until])
        }
        var byAutomation: [String: AutomationReport.Row] = [:]
        var ratings: [String: (agent: String, useCase: String?, counts: [Int])] = [:]
        let satisfaction = Set((try? mailbox.automations.all().filter { $0.answers == .satisfaction }.map(\.name)) ?? [])
        for row in rows {
            let automation: String = row[0], kind: String = row[1], answer: String? = row[2], agent: String? = row[3], useCase: String? = row[4]
            var entry = byAutomation[automation] ?? AutomationReport.Row(automation: automation)
            switch AutomationRecord.Kind(rawValue: kind) {
            case .sent: entry.sent += 1
            case .heldOut: entry.heldOut += 1
            case .answer:
                guard let answer else { entry.toPerson += 1; break }
                entry.answers[answer, default: 0] += 1
                if satisfaction.contains(automation), let rating = Int(answer), (1...5).contains(rating), query.agent == nil || query.agent == agent {
                    let key = "\(agent ?? "")\u{1F}\(useCase ?? "")"
                    var counts = ratings[key]?.counts ?? [0, 0, 0, 0, 0]
                    counts[rating - 1] += 1
                    ratings[key] = (agent ?? "?", useCase, counts)
                }
            case nil: break
            }
            byAutomation[automation] = entry
        }
        return AutomationReport(
            automations: byAutomation.values.sorted { $0.automation < $1.automation },
            ratings: ratings.values.map { Rating(agent: $0.agent, useCase: $0.useCase, counts: $0.counts) }
                .sorted { ($0.agent, $0.useCase ?? "") < ($1.agent, $1.useCase ?? "") })
    }
}
