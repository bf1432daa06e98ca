import Foundation
import ParleyCore

/// Replays one conversation, message by message in time order, with the
/// consent ledger folded up to each message: each person's send goes
/// through the send gate again, as it stood then, from the repository
/// alone. What exists for the history alone (one confirmation per opt-out,
/// receipts that belong to a message) is checked here.
struct ConversationAudit {
    let records: AuditRecords
    /// The gate `parley send` runs; the audit asks it about each past send.
    let gate: ComplianceGate
    /// Which sends needed a second person's approval (`parley.yaml`, `review:`).
    let review: ReviewPolicy

    private var number: PhoneNumber { records.number }

    func run(into report: inout AuditReport) {
        var consentSeen = 0
        var state = ConsentState.empty
        var lastInbound: IndexedMessage?
        var sentBefore = false
        let earlierSends = FrequencyLimit.sends(times: records.messages.filter { !$0.inbound }.map { ($0.date, $0.agent) }, events: records.events)
        var triage = TriageMarks(records.events)
        // Since the latest opt-out: automatic replies, and whether the customer wrote since the last one.
        var repliesSinceOptOut = 0, wroteSinceReply = false
        for message in records.messages {
            while consentSeen < records.consent.count, records.consent[consentSeen].time <= message.date {
                let event = records.consent[consentSeen]
                if event.kind == .optedOut || (event.kind == .reviewResolved && event.resolution == "opt_out") {
                    repliesSinceOptOut = 0
                    if report.covers(event.time) { report.counts.optOuts += 1 }
                }
                consentSeen += 1
                state = ConsentState.fold(Array(records.consent[..<consentSeen]))
            }
            let inPeriod = report.covers(message.date)
            guard !message.inbound else {
                lastInbound = message
                wroteSinceReply = true
                if inPeriod { report.counts.inbound += 1 }
                continue
            }
            defer { sentBefore = true }
            guard inPeriod else { continue }
            if AutomatedMessage.isAutomated(agent: message.agent) {
                report.counts.automated += 1
                continue
            }
            if message.agent == Agent.systemHandle {
                report.counts.automaticReplies += 1
                // An opt-out is confirmed once; a later automatic reply must answer a new message (HELP).
                if state.status == .optedOut {
                    if repliesSinceOptOut > 0 && !wroteSinceReply {
                        report.findings.append(finding(.optOutConfirmation, message,
                            "a second automatic reply after the opt-out of \(Timestamp.format(state.optedOutAt ?? message.date)), "
                                + "with no message from the customer in between"))
                    }
                    repliesSinceOptOut += 1
                    wroteSinceReply = false
                }
                continue
            }
            report.counts.outbound += 1
            triage.advance(to: message.date)
            judge(message, state: state, lastInbound: lastInbound, first: !sentBefore, triage: triage, earlierSends: earlierSends, into: &report)
        }
        for receipt in records.receipts where report.covers(receipt.time) {
            report.counts.receipts += 1
            if !records.messages.contains(where: { $0.id == receipt.messageID }) {
                report.findings.append(AuditFinding(rule: .orphanReceipt, commit: nil,
                    path: MailboxLayout.receiptsDirectory(number) + "/" + receipt.name, number: number.e164, time: receipt.time,
                    detail: "a delivery receipt for message \(receipt.messageID), which this conversation does not hold "
                        + "(if another clone sent it, run parley sync)"))
            }
        }
    }

    /// A person's send, judged by the send gate itself on the state as it
    /// was: the consent ledger folded up to the message, the customer's
    /// latest text before it, whether anything was sent before, the rules a
    /// person overrode. Only the first message's text matters to a replayed rule.
    private func judge(_ message: IndexedMessage, state: ConsentState, lastInbound: IndexedMessage?, first: Bool, triage: TriageMarks,
                       earlierSends: [FrequencyLimit.Send], into report: inout AuditReport) {
        let overrides = Override.reasons(message.overrides)
        for (rule, reason) in overrides.sorted(by: { $0.key < $1.key }) {
            report.overrides.append(AuditOverride(commit: nil, path: path(message), message: message.id, number: number.e164,
                time: message.date, agent: message.agent, rule: rule.rawValue, reason: reason))
        }
        var input = ComplianceGate.Input(
            number: number, body: records.outboundBodies[message.id] ?? "", time: message.date, contact: records.contact, consent: state,
            lastInboundAt: lastInbound?.date, lastInboundID: lastInbound?.id, hasOutbound: !first, overrides: overrides)
        input.line = message.line.flatMap(PhoneNumber.init(e164:)).flatMap(gate.config.line(number:))
        input.unreachable = triage.unreachable
        input.subject = triage.subject
        input.earlierSends = earlierSends
        let verdicts = gate.replay(input)
        for verdict in verdicts where verdict.outcome == .failed {
            report.findings.append(finding(.gate(verdict.rule), message, verdict.facts))
        }
        let reasons = review.reasons(agent: message.agent ?? "", fromTemplate: message.template != nil, firstContact: first,
                                     overrides: !message.overrides.isEmpty)
        if !reasons.isEmpty, message.approvedBy == nil || message.approvedBy == message.agent {
            report.findings.append(finding(.approval, message, "went without another agent's approval, which the review policy requires ("
                + reasons.map(\.description).joined(separator: "; ") + ")" + (message.approvedBy.map { "; approved by its own author \($0)" } ?? "")))
        }
    }

    private func path(_ message: IndexedMessage) -> String {
        MailboxLayout.messagesDirectory(number) + "/" + message.name
    }

    private func finding(_ rule: AuditFinding.Rule, _ message: IndexedMessage, _ detail: String) -> AuditFinding {
        // With several lines, which one the text went from.
        let line = message.line.flatMap(PhoneNumber.init(e164:)).flatMap { gate.config.lineNames[$0] }
        return AuditFinding(rule: rule, commit: nil, path: path(message), message: message.id, number: number.e164, time: message.date,
                            detail: detail + (message.agent.map { "; sent by \($0)" } ?? "") + (line.map { " from line \($0)" } ?? ""))
    }
}

/// A conversation's use case and "never again" mark as they stood at each
/// text, read forward once in time order: the use case as the frequency
/// rule reads it, the mark made before the text.
struct TriageMarks {
    private let marks: [ConversationEvent]
    private var subjects: FrequencyLimit.Subjects
    private var markSeen = 0
    private(set) var subject: String?
    private(set) var unreachable: ConversationState.Unreachable?

    init(_ events: [ConversationEvent]) {
        marks = events.filter { $0.kind == .unreachable || $0.kind == .reachable }.sorted { ($0.time, $0.id) < ($1.time, $1.id) }
        subjects = FrequencyLimit.Subjects(events)
    }

    mutating func advance(to date: Date) {
        subject = subjects.at(date)
        while markSeen < marks.count, marks[markSeen].time < date {
            let event = marks[markSeen]
            unreachable = event.kind == .unreachable ? ConversationState.Unreachable(since: event.time, reason: event.note ?? "a carrier said so") : nil
            markSeen += 1
        }
    }
}
