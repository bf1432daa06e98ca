import Foundation

/// Replays one conversation against the rules, message by message in time
/// order, with the consent ledger folded up to each message: what the send
/// gate should have seen, from the repository alone.
struct ConversationAudit {
    let records: AuditRecords
    let config: MailboxConfig

    private var number: PhoneNumber { records.number }

    func run(into report: inout AuditReport) {
        var consentSeen = 0
        var state = ConsentState.empty
        var lastInbound: AuditRecords.MessageRow?
        var sentBefore = false
        // Since the latest opt-out: automatic replies, and whether the customer wrote since the last one.
        var repliesSinceOptOut = 0, wroteSinceReply = false
        for message in records.messages {
            while consentSeen < records.consent.count, records.consent[consentSeen].time <= message.time {
                let event = records.consent[consentSeen]
                if event.kind == .optedOut || (event.kind == .reviewResolved && event.resolution == "opt_out") {
                    repliesSinceOptOut = 0
                    if report.covers(event.time) { report.counts.optOuts += 1 }
                }
                consentSeen += 1
                state = ConsentState.fold(Array(records.consent[..<consentSeen]))
            }
            let inPeriod = report.covers(message.time)
            guard message.outbound else {
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
            if message.agent == "parley" {
                report.counts.automaticReplies += 1
                // An opt-out is confirmed once; a later automatic reply must answer a new message (HELP).
                if state.status == .optedOut {
                    if repliesSinceOptOut > 0 && !wroteSinceReply {
                        report.findings.append(finding(.optOutConfirmation, message,
                            "a second automatic reply after the opt-out of \(Timestamp.format(state.optedOutAt ?? message.time)), "
                                + "with no message from the customer in between"))
                    }
                    repliesSinceOptOut += 1
                    wroteSinceReply = false
                }
                continue
            }
            report.counts.outbound += 1
            judge(message, state: state, lastInbound: lastInbound, first: !sentBefore, into: &report)
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

    /// The rules a person's send answers to.
    private func judge(_ message: AuditRecords.MessageRow, state: ConsentState, lastInbound: AuditRecords.MessageRow?, first: Bool,
                       into report: inout AuditReport) {
        let overrides = Override.reasons(message.overrides)
        for (rule, reason) in overrides.sorted(by: { $0.key < $1.key }) {
            report.overrides.append(AuditOverride(commit: nil, path: path(message), message: message.id, number: number.e164,
                time: message.time, agent: message.agent, rule: rule.rawValue, reason: reason))
        }
        var problems: [(AuditFinding.Rule, String)] = []
        switch state.status {
        case .optedOut:
            problems.append((.optOut, "sent after the customer opted out on \(Timestamp.format(state.optedOutAt ?? message.time)), "
                + "with no opt-in since"))
        case .granted:
            break
        case .none, .revoked:
            let window = Double(config.compliance.replyWindowHours) * 3600
            let answered = lastInbound.map { message.time.timeIntervalSince($0.time) <= window } ?? false
            if state.status == .revoked || !answered {
                problems.append((.consent, state.status == .revoked ? "sent after consent was revoked"
                    : "no consent on record at \(Timestamp.format(message.time)) and no message from the customer in the last "
                        + "\(config.compliance.replyWindowHours) h"))
            }
        }
        if state.underReview {
            problems.append((.review, "sent while a possible revocation waited for review (since "
                + "\(Timestamp.format(state.reviewOpenedAt ?? message.time)))"))
        }
        if let quiet = quietHours(message) { problems.append((.quietHours, quiet)) }
        if first, let lacking = firstContactLacks() { problems.append((.firstContact, lacking)) }
        for (rule, detail) in problems {
            // An override counts only for a rule the mailbox lets people override (parley.yaml).
            if let compliance = ComplianceRule(rawValue: rule.rawValue), overrides[compliance] != nil,
               config.compliance.overridable.contains(compliance) { continue }
            report.findings.append(finding(rule, message, detail))
        }
    }

    private func quietHours(_ message: AuditRecords.MessageRow) -> String? {
        let location = QuietHours.Location.of(number, contact: records.contact, businessZone: TimeZone(identifier: config.timeZone) ?? .current)
        let verdict = QuietHours.evaluate(number, at: message.time, location: location, findingNextAllowed: false)
        return verdict.allowed ? nil : verdict.facts
    }

    private func firstContactLacks() -> String? {
        let text = records.firstOutboundBody ?? ""
        var missing: [String] = []
        if !text.lowercased().contains(config.businessName.lowercased()) { missing.append("the business name") }
        if !ComplianceGate.givesOptOutInstruction(text) { missing.append("how to opt out") }
        return missing.isEmpty ? nil : "the first message to \(number.e164) lacks \(missing.joined(separator: " and "))"
    }

    private func path(_ message: AuditRecords.MessageRow) -> String {
        MailboxLayout.messagesDirectory(number) + "/" + message.name
    }

    private func finding(_ rule: AuditFinding.Rule, _ message: AuditRecords.MessageRow, _ detail: String) -> AuditFinding {
        AuditFinding(rule: rule, commit: nil, path: path(message), message: message.id, number: number.e164, time: message.time,
                     detail: detail + (message.agent.map { "; sent by \($0)" } ?? ""))
    }
}
