import Foundation
import GRDB
import ParleyCore

/// `parley automations test NAME --since DAY`: what an automation would
/// have done over a past period, replayed from the records alone without
/// sending or writing anything. Each trigger in the period (a text after
/// hours, a first text, an appointment, a close) is taken in time order;
/// the automation's limits see the history and its own earlier would-be
/// texts; the send gate judges each text as the audit does, on the state
/// as it was then (consent folded to that moment, the customer's latest
/// text, earlier sends), with today's templates, tone guide and word list;
/// and the holdout draws as it would have.
public enum AutomationDryRun {
    public struct Item: Codable, Sendable {
        public enum Decision: String, Codable, Sendable {
            case send
            case heldOut = "held_out"
            case limited
            case refused
        }

        /// When it would have texted.
        public let time: Date
        public let number: String
        /// What triggered it (a message, an appointment or a close).
        public let subject: String
        public let decision: Decision
        /// The limit or the gate's rule and facts, for a text that would not have gone.
        public let detail: String?
        public let body: String
    }

    public static func run(_ automation: Automation, on mailbox: Mailbox, since: Date, until: Date?) throws(ParleyError) -> [Item] {
        let store = mailbox.store
        let snapshot = try store.snapshot()
        let until = until ?? mailbox.clock.now()
        let template = try mailbox.templates.template(automation.template)
        let gate = try ComplianceGate.reading(snapshot, config: mailbox.config)
        let clock = BusinessClock(for: mailbox.config)
        let zone = clock.zone
        let (all, subjects) = try store.sqlIndex().read(at: snapshot, details: .all) { db -> ([AuditRecords], [(PhoneNumber, AutomationSubject)]) in
            let all = try AuditRecords.readAll(db)
            return (all, try Self.subjects(of: automation, in: db, records: all, since: since, until: until, clock: clock))
        }
        let records = Dictionary(all.map { ($0.number, $0) }, uniquingKeysWith: { first, _ in first })
        var items: [Item] = []
        var wouldSend: [PhoneNumber: [Date]] = [:]
        for (number, subject) in subjects {
            let time = subject.due(for: automation)
            // The automation's own real texts are what this replay stands in for: its would-be texts count instead.
            var history = records[number] ?? AuditRecords(number: number)
            history.messages.removeAll { $0.agent == automation.agent.handle }
            var values = try mailbox.templates.values(for: number)
            values.merge(subject.templateValues(config: mailbox.config)) { _, set in set }
            let body: String
            switch Result(catching: { () throws(ParleyError) in try template.render(values) }) {
            case .success(let text): body = text
            case .failure(let error):
                items.append(Item(time: time, number: number.e164, subject: subject.id, decision: .refused, detail: error.description, body: ""))
                continue
            }
            func item(_ decision: Item.Decision, _ detail: String? = nil) -> Item {
                Item(time: time, number: number.e164, subject: subject.id, decision: decision, detail: detail, body: body)
            }
            let past = history.messages.map { Automation.PastMessage(id: $0.id, time: $0.date, inbound: $0.inbound, agent: $0.agent) }
            let trigger: Automation.PastMessage? = if case .inbound(let message) = subject {
                Automation.PastMessage(id: message.id, time: message.time, inbound: true, agent: nil)
            } else { nil }
            if let limit = automation.limit(at: time, history: past, trigger: trigger, earlier: wouldSend[number] ?? [], zone: zone) {
                items.append(item(.limited, limit))
                continue
            }
            let input = gateInput(number: number, body: body, at: time, history: history, subject: template.useCase,
                                  earlier: wouldSend[number] ?? [], gate: gate)
            if let refusal = ComplianceGate.refusal(in: gate.evaluate(input)) {
                items.append(item(.refused, "\(refusal.rule.rawValue): \(refusal.facts)"))
            } else if let holdout = automation.holdout, holdout.holdsOut(number, subject: subject.id, automation: automation.name) {
                items.append(item(.heldOut))
            } else {
                items.append(item(.send))
                wouldSend[number, default: []].append(time)
            }
        }
        return items
    }

    /// Every trigger of the automation whose text would have been due in the period, in time order.
    private static func subjects(of automation: Automation, in db: Database, records: [AuditRecords], since: Date, until: Date,
                                 clock: BusinessClock) throws -> [(PhoneNumber, AutomationSubject)] {
        var found: [(PhoneNumber, AutomationSubject)] = []
        let (start, end) = (since.timeIntervalSince1970, until.timeIntervalSince1970)
        switch automation.trigger {
        case .afterHours, .firstInbound:
            for history in records {
                for (index, message) in history.messages.enumerated() where message.inbound && !message.keyword && (start..<end).contains(message.time) {
                    guard automation.trigger == .afterHours ? !clock.isOpen(at: message.date) : index == 0 else { continue }
                    let inbound = Message(id: message.id, direction: .inbound, time: message.date, from: history.number, to: history.number,
                                          agent: nil, gateway: message.gateway ?? "", gatewayID: nil, status: .received, segments: 1, encoding: "GSM-7",
                                          body: "")
                    found.append((history.number, .inbound(inbound)))
                }
            }
        case .appointment:
            let before = automation.before ?? 0
            for row in try Row.fetchAll(db, sql: """
                SELECT number, time, use_case, source, imported_by FROM appointments WHERE use_case = ? AND time - ? >= ? AND time - ? < ?
                """, arguments: [automation.useCase, before, start, before, end]) {
                guard let number = PhoneNumber(e164: row[0]) else { continue }
                found.append((number, .appointment(AppointmentRecord(number: number, time: Date(timeIntervalSince1970: row[1]), useCase: row[2],
                                                                     source: row[3], importedBy: row[4]))))
            }
        case .closed:
            let useCases = Dictionary(records.map { ($0.number, $0.events) }, uniquingKeysWith: { first, _ in first })
            for row in try Row.fetchAll(db, sql: """
                SELECT number, id, time, actor, use_case, outcome FROM events WHERE kind = 'close' AND time + ? >= ? AND time + ? < ?
                """, arguments: [automation.after, start, automation.after, end]) {
                guard let number = PhoneNumber(e164: row[0]) else { continue }
                let time = Date(timeIntervalSince1970: row[2])
                var subjects = FrequencyLimit.Subjects(useCases[number] ?? [])
                let close = ConversationEvent(id: row[1], kind: .close, time: time, by: row[3], useCase: row[4] ?? subjects.at(time), outcome: row[5])
                if automation.follows(close) { found.append((number, .close(close))) }
            }
        }
        return found.sorted { ($0.1.due(for: automation), $0.0.e164) < ($1.1.due(for: automation), $1.0.e164) }
    }

    /// The gate's input for a text at `time`, from the records as they stood then.
    private static func gateInput(number: PhoneNumber, body: String, at time: Date, history: AuditRecords, subject: String?, earlier: [Date],
                                  gate: ComplianceGate) -> ComplianceGate.Input {
        let upTo = history.messages.filter { $0.date <= time }
        let lastInbound = upTo.last { $0.inbound }
        var input = ComplianceGate.Input(
            number: number, body: body, time: time, contact: history.contact, consent: ConsentState.fold(history.consent.filter { $0.time <= time }),
            lastInboundAt: lastInbound?.date, lastInboundID: lastInbound?.id, hasOutbound: upTo.contains { !$0.inbound } || !earlier.isEmpty)
        var marks = TriageMarks(history.events)
        marks.advance(to: time)
        input.unreachable = marks.unreachable
        input.subject = subject ?? marks.subject
        input.line = gate.config.defaultLine
        let sent = upTo.filter { !$0.inbound }.map { (time: $0.date, agent: $0.agent) } + earlier.map { (time: $0, agent: String?.none) }
        input.earlierSends = FrequencyLimit.sends(times: sent, events: history.events)
        return input
    }
}
