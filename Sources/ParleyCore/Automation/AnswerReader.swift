import Foundation

/// Reads a customer's text as the answer to an automation's question,
/// when it is one: the latest text to them was that automation's (no
/// person wrote since), it asked (`answers:`), it was not answered yet, and
/// it is still open—a confirmation until the appointment, any question for
/// a week. A clear answer is recorded with the conversation closed (a
/// confirmation with the outcome it gives, a rating with the close it
/// followed); an unclear one is recorded as left to a person, and the
/// conversation waits for one as any other.
struct AnswerReader {
    let mailbox: Mailbox
    let automations: [Automation]
    let words: AnswerWords

    /// How long a question stays open when nothing else says.
    static let answerWindow: TimeInterval = 7 * 86_400

    func read(_ message: Message) throws(ParleyError) -> AutomationRun? {
        let number = message.from
        let snapshot = try mailbox.store.snapshot()
        guard let conversation = try Conversation.load(number, from: snapshot),
              let asked = conversation.messages.last(where: { $0.direction == .outbound && $0.agent != Agent.systemHandle && $0.time <= message.time }),
              let name = Automation.name(ofAgent: asked.agent), let automation = automations.first(where: { $0.name == name }),
              let kind = automation.answers else { return nil }
        let records = try AutomationRecord.all(of: number, in: snapshot)
        guard let question = records.last(where: { $0.kind == .sent && $0.message == asked.id && $0.automation == name }),
              !records.contains(where: { $0.kind == .answer && $0.subject == question.id }),
              message.time < (try deadline(of: question, in: snapshot)) else { return nil }
        let answer: String? = switch kind {
        case .confirmation: words.confirmationOutcome(of: message.body)
        case .satisfaction: words.rating(of: message.body).map(String.init)
        }
        let now = mailbox.clock.now()
        let record = AutomationRecord(kind: .answer, automation: name, number: number, time: now, subject: question.id, message: message.id,
                                      answer: answer, useCase: question.useCase, agent: question.agent)
        var files: [String: Data?] = [record.path: record.fileData()]
        if let answer {
            // A confirmation closes with the outcome it gives; a rating closes again what the question followed (the answer reopened it).
            let outcome = kind == .confirmation ? answer : closed(question, in: conversation)?.outcome
            let id = ULID.after(conversation.events.last.flatMap { ULID($0.id) }, time: now).string
            let close = ConversationEvent(id: id, kind: .close, time: now, by: automation.agent.handle,
                                          note: "\(name) read \"\(message.body.prefix(60))\" as \(answer)", outcome: outcome)
            files[MailboxLayout.eventPath(number, time: now, id: id)] = close.fileData()
        }
        let actor = Mailbox(store: mailbox.store, config: mailbox.config, clock: mailbox.clock, agent: automation.agent)
        _ = try mailbox.store.commit { snapshot throws(ParleyError) in
            guard try snapshot.read(record.path) == nil else { return nil }
            return actor.change(files, CommitMessage(
                subject: "Read \(actor.label(number, in: snapshot))'s answer to \(name): \(answer ?? "left to a person")",
                action: .automation(.answer), trailers: [(.number, number.e164), (.messageID, message.id), (.automation, name)]))
        }
        return AutomationRun(automation: name, number: number, subject: question.subject, decision: .answered(answer))
    }

    /// Until when an answer to `question` counts: the appointment's time for one about an appointment, else a week.
    private func deadline(of question: AutomationRecord, in snapshot: any StoreSnapshot) throws(ParleyError) -> Date {
        let week = question.time + Self.answerWindow
        for entry in try snapshot.list(MailboxLayout.appointmentsDirectory(question.number)) ?? [] where entry.name.contains(question.subject) {
            let path = MailboxLayout.appointmentsDirectory(question.number) + "/" + entry.name
            if let data = try snapshot.read(path) { return min(week, try AppointmentRecord.parse(data, path: path).time) }
        }
        return week
    }

    /// The close a satisfaction question followed.
    private func closed(_ question: AutomationRecord, in conversation: Conversation) -> ConversationEvent? {
        conversation.events.first { $0.id == question.subject }
    }
}
