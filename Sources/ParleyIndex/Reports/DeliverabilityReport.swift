import Foundation
import GRDB
import ParleyCore

/// The report's deliverability section: each line's sends, and each
/// template's on each line, by what became of them—delivered, failed, and
/// of the failures those carriers filtered, those that mean "never again
/// to this number", and those the sender or its campaign caused—with the
/// error codes behind them. What the carriers judge a line by, so a team
/// sees a filtered template before the line pauses itself.
public struct DeliverabilityReport: Codable, Sendable, Equatable {
    public struct Row: Codable, Sendable, Equatable {
        public let line: String
        /// Nil: every send of the line; "" a text not from a template.
        public let template: String?
        public var sent = 0
        public var delivered = 0
        public var failed = 0
        public var filtered = 0
        public var permanent = 0
        public var sender = 0

        public var failedShare: Double? { sent == 0 ? nil : Double(failed) / Double(sent) }
    }

    public struct Code: Codable, Sendable, Equatable {
        public let provider, code: String
        /// The class Parley's tables give it; nil for a code no table knows.
        public let kind: CarrierErrorClass?
        public let count: Int
    }

    public let lines: [Row]
    public let templates: [Row]
    public let codes: [Code]
    /// Lines paused now, each with why.
    public let paused: [String]

    public var isEmpty: Bool { lines.allSatisfy { $0.sent == 0 } && paused.isEmpty }

    /// People's and automations' sends in the period (not the automatic keyword replies).
    static func build(_ query: ReportQuery, for mailbox: Mailbox) throws(ParleyError) -> DeliverabilityReport {
        let config = mailbox.config
        let since = query.since?.timeIntervalSince1970 ?? -Double.greatestFiniteMagnitude
        let until = query.until?.timeIntervalSince1970 ?? Double.greatestFiniteMagnitude
        // Counted in SQLite from a covering index in its own order, by what decides a row's place: a few hundred groups, not a row
        // a message (a plain scan of the table cost 0.07 s at 100k messages, the index 0.013 s).
        let rows = try mailbox.store.sqlIndex().read(at: mailbox.store.snapshot(), details: .all, progress: nil) { db in
            try GRDB.Row.fetchAll(db, sql: """
                SELECT line, template, gateway, coalesce(status, initial_status), error_code, count(*) FROM messages
                WHERE direction = 'outbound' AND coalesce(agent, '') != ? AND time >= ? AND time < ? AND (? IS NULL OR agent = ?)
                GROUP BY line, template, gateway, status, initial_status, error_code
                """, arguments: [Agent.systemHandle, since, until, query.agent, query.agent])
        }
        var lines: [String: Row] = [:], templates: [String: Row] = [:], codes: [String: Int] = [:]
        for row in rows {
            let number: String? = row[0]
            let name = number.flatMap(PhoneNumber.init(e164:)).flatMap(config.line(number:))?.name ?? number ?? "?"
            let template: String = row[1] ?? ""
            let provider: String = row[2] ?? ""
            let status = DeliveryStatus(rawValue: row[3]) ?? .pending
            let code: String? = row[4]
            let count: Int = row[5]
            let kind = code.flatMap { config.deliverability.carrierErrors.classify($0, provider: provider) }
            let failed = status == .failed || status == .undelivered
            func add(to row: inout Row) {
                row.sent += count
                if status == .delivered { row.delivered += count }
                guard failed else { return }
                row.failed += count
                if kind == .filtered { row.filtered += count }
                if kind?.isPermanent == true { row.permanent += count }
                if kind == .sender { row.sender += count }
            }
            add(to: &lines[name, default: Row(line: name, template: nil)])
            add(to: &templates[name + "\u{0}" + template, default: Row(line: name, template: template)])
            if failed, let code { codes[provider + "\u{0}" + code, default: 0] += count }
        }
        let paused = try mailbox.lines.pauses().map { "\($0.line.label): \($0.pause.reason)" }
        return DeliverabilityReport(
            lines: lines.values.sorted { $0.line < $1.line },
            templates: templates.values.sorted { ($0.line, $0.template ?? "") < ($1.line, $1.template ?? "") },
            codes: codes.map { key, count in
                let parts = key.split(separator: "\u{0}", omittingEmptySubsequences: false).map(String.init)
                return Code(provider: parts[0], code: parts[1], kind: config.deliverability.carrierErrors.classify(parts[1], provider: parts[0]),
                            count: count)
            }.sorted { ($1.count, $0.code) < ($0.count, $1.code) },
            paused: paused)
    }
}
