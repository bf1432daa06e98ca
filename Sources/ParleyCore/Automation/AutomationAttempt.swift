import Foundation

/// One automation acting on one subject for one customer, in order:
/// decided before? (its record, or a text of its own in the outbox, held
/// for approval or in doubt: then nothing more); the limits (once per
/// customer, a customer waiting for a person); the template filled; the
/// compliance gate, exactly as for a person; the randomized holdout (only
/// customers the gate would let it text are drawn, so both groups are
/// alike); then the send, with its decision record in the same commit.
struct AutomationAttempt {
    let mailbox: Mailbox
    let automation: Automation
    let number: PhoneNumber
    let subject: AutomationSubject

    /// The automation's own mailbox: its texts and records carry `automation:NAME` as the agent.
    private var actor: Mailbox { Mailbox(store: mailbox.store, config: mailbox.config, clock: mailbox.clock, agent: automation.agent) }

    func run(via gateway: any Gateway) async -> AutomationRun {
        let decision: AutomationRun.Decision
        do {
            decision = try await decide(via: gateway)
        } catch {
            decision = .failed(error)
        }
        return AutomationRun(automation: automation.name, number: number, subject: subject.id, decision: decision)
    }

    private func decide(via gateway: any Gateway) async throws(ParleyError) -> AutomationRun.Decision {
        let snapshot = try mailbox.store.snapshot()
        if let done = try alreadyDone(in: snapshot) { return .alreadyDone(done) }
        let conversation = try Conversation.load(number, from: snapshot)
        if let limit = limited(conversation) { return .limited(limit) }
        let outgoing = try message()
        if let refusal = ComplianceGate.refusal(in: try actor.sending.check(number, outgoing)) {
            return .refused(Sending.refused(refusal).description)
        }
        if let holdout = automation.holdout, holdout.holdsOut(number, subject: subject.id, automation: automation.name) {
            try holdOut()
            return .heldOut
        }
        do {
            return .sent(try await actor.sending.send(to: number, outgoing, via: gateway))
        } catch {
            if case .awaitingApproval(let text) = error { return .alreadyDone("held for approval: \(text)") }
            if case .refused(let text) = error { return .refused(text) }
            if case .inDoubt(let text) = error { return .inDoubt(text) }
            throw error
        }
    }

    /// Why there is nothing more to do, or nil.
    private func alreadyDone(in snapshot: any StoreSnapshot) throws(ParleyError) -> String? {
        let ids = AutomationRecord.decisionIDs(automation: automation.name, number: number, subject: subject.id)
        if let record = try AutomationRecord.all(of: number, in: snapshot).first(where: { ids.contains($0.id) }) {
            return "\(record.kind == .sent ? "texted" : "held out") at \(Timestamp.format(record.time, in: zone))"
        }
        if let entry = try mailbox.outbox.entries().first(where: { $0.to == number && $0.agent == automation.agent.handle }) {
            return "its text \(entry.id) is in the outbox (\(entry.state.rawValue)); see parley outbox"
        }
        return nil
    }

    /// Why a limit says no, or nil (`Automation.limit`).
    private func limited(_ conversation: Conversation?) -> String? {
        let history = (conversation?.messages ?? []).map {
            Automation.PastMessage(id: $0.id, time: $0.time, inbound: $0.direction == .inbound, agent: $0.agent)
        }
        let trigger: Automation.PastMessage? = if case .inbound(let message) = subject {
            Automation.PastMessage(id: message.id, time: message.time, inbound: true, agent: nil)
        } else { nil }
        return automation.limit(at: mailbox.clock.now(), history: history, trigger: trigger, open: conversation?.state.isOpen ?? true, zone: zone)
    }

    private var zone: TimeZone { TimeZone(identifier: mailbox.config.timeZone) ?? TimeZone(identifier: "UTC")! }

    /// The template filled for this customer and subject.
    private func message() throws(ParleyError) -> OutgoingMessage {
        let template = try mailbox.templates.template(automation.template)
        var outgoing = OutgoingMessage(body: try actor.templates.fill(template, for: number, setting: subject.templateValues(config: mailbox.config)),
                                       template: template)
        outgoing.automationRecord = AutomationRecord(kind: .sent, automation: automation.name, number: number, time: mailbox.clock.now(),
                                                     subject: subject.id, useCase: subject.useCase ?? automation.useCase, agent: closedBy)
        return outgoing
    }

    /// Whose conversation a satisfaction question follows: the agent who closed it.
    private var closedBy: String? {
        if case .close(let event) = subject { return event.by }
        return nil
    }

    /// Records that the customer is held out: a commit of its own, checked again inside it.
    private func holdOut() throws(ParleyError) {
        let now = mailbox.clock.now()
        let record = AutomationRecord(kind: .heldOut, automation: automation.name, number: number, time: now, subject: subject.id,
                                      useCase: subject.useCase ?? automation.useCase)
        _ = try mailbox.store.commit { snapshot throws(ParleyError) in
            guard try snapshot.read(record.path) == nil else { return nil }
            return actor.change([record.path: record.fileData()], CommitMessage(
                subject: "Hold \(actor.label(number, in: snapshot)) out of \(automation.name) (randomized holdout)",
                action: .automation(.heldOut), trailers: [(.number, number.e164), (.automation, automation.name)]))
        }
    }
}
