import Foundation

/// The automations beside the people: reading `automations/*.yaml` (all of
/// them checked against the mailbox, or none run), and running them—when a
/// customer's text arrives (`received`, from `parley serve`) and on a timer
/// (`runDue`, from `parley automations run` and `parley serve`). Every text
/// goes through `AutomationAttempt`, which holds the limits, the gate, the
/// holdout and the one-decision-per-subject rule.
public struct Automations: MailboxFeature {
    public let mailbox: Mailbox

    public init(_ mailbox: Mailbox) { self.mailbox = mailbox }

    /// Timed automations look this far back for what they missed (a server that was down, a cron job that did not run).
    public static let catchUp: TimeInterval = 86_400

    /// Every automation file on the main branch, checked against the
    /// templates, use cases and answer words: all of them, or the first
    /// problem as `path:line: problem` (nothing runs on a broken set).
    public func all(in snapshot: (any StoreSnapshot)? = nil) throws(ParleyError) -> [Automation] {
        let snapshot: any StoreSnapshot = if let snapshot { snapshot } else { try store.snapshot() }
        let context = try Automation.Context(config: config, answers: answerWords(in: snapshot)) { name throws(ParleyError) -> MessageTemplate? in
            let path = MailboxLayout.templatePath(name)
            guard let data = try snapshot.read(path) else { return nil }
            return try MessageTemplate.parse(data, name: name, blobID: try snapshot.contentID(path))
        }
        var automations: [Automation] = []
        for entry in try snapshot.list(Automation.directory) ?? [] where entry.name.hasSuffix(".yaml") && !entry.isDirectory {
            let path = Automation.directory + "/" + entry.name
            guard path != AnswerWords.path, let data = try snapshot.read(path) else { continue }
            automations.append(try Automation.parse(data, name: String(entry.name.dropLast(5)), context: context))
        }
        return automations.sorted { $0.name < $1.name }
    }

    /// One automation by name.
    public func named(_ name: String) throws(ParleyError) -> Automation {
        let automations = try all()
        guard let found = automations.first(where: { $0.name == name }) else {
            let known = automations.map(\.name).joined(separator: ", ")
            throw .notFound("no automation '\(name)' (\(known.isEmpty ? "none on main yet" : "automations: \(known)")); see parley automations list")
        }
        return found
    }

    /// `automations/answers.yaml`, or the words `parley init` installs.
    public func answerWords(in snapshot: any StoreSnapshot) throws(ParleyError) -> AnswerWords {
        guard let data = try snapshot.read(AnswerWords.path) else { return .defaults }
        return try AnswerWords.parse(data)
    }

    /// After a customer's text was stored: first, is it the answer to an
    /// automation's question (recorded, and the conversation closed when it
    /// is clear)? If not, the automations its arrival triggers (after hours,
    /// a first text). An opt-out or HELP keyword, or a text that may ask us
    /// to stop, is never read as an answer and triggers nothing; YES, an
    /// opt-in keyword too, still answers a confirmation.
    public func received(_ message: Message, via gateway: any Gateway) async throws(ParleyError) -> [AutomationRun] {
        let keyword = mailbox.keywords.classify(message.body)
        guard message.direction == .inbound, keyword == nil || keyword == .optIn else { return [] }
        let snapshot = try store.snapshot()
        let automations = try all(in: snapshot).filter(\.enabled)
        if let answer = try AnswerReader(mailbox: mailbox, automations: automations, words: answerWords(in: snapshot)).read(message) {
            return [answer]
        }
        guard keyword == nil else { return [] }
        guard let conversation = try Conversation.load(message.from, from: snapshot) else { return [] }
        let business = BusinessClock(for: config)
        var runs: [AutomationRun] = []
        for automation in automations {
            switch automation.trigger {
            case .afterHours where !business.isOpen(at: message.time): break
            case .firstInbound where conversation.messages.first?.id == message.id: break
            default: continue
            }
            runs.append(await AutomationAttempt(mailbox: mailbox, automation: automation, number: message.from, subject: .inbound(message))
                .run(via: gateway))
        }
        return runs
    }

    /// The timed automations' work due now: appointments `before` ahead
    /// (from now back to `catchUp` ago), conversations closed `after` ago.
    public func runDue(via gateway: any Gateway, only name: String? = nil) async throws(ParleyError) -> [AutomationRun] {
        let snapshot = try store.snapshot()
        let automations = try all(in: snapshot).filter { $0.trigger.isTimed && (name == nil ? $0.enabled : $0.name == name) }
        if let name, automations.isEmpty { _ = try named(name) }
        var runs: [AutomationRun] = []
        for automation in automations {
            for (number, subject) in try due(automation, at: clock.now(), in: snapshot) {
                runs.append(await AutomationAttempt(mailbox: mailbox, automation: automation, number: number, subject: subject).run(via: gateway))
            }
        }
        return runs
    }

    /// What a timed automation has to act on at `now`.
    func due(_ automation: Automation, at now: Date, in snapshot: any StoreSnapshot) throws(ParleyError) -> [(PhoneNumber, AutomationSubject)] {
        let index = try store.index()
        switch automation.trigger {
        case .appointment:
            let before = automation.before ?? 0
            return try index.appointments(from: now - Self.catchUp + before, to: now + before, at: snapshot)
                .filter { $0.time > now && $0.useCase == automation.useCase }.map { ($0.number, .appointment($0)) }
        case .closed:
            var due: [(PhoneNumber, AutomationSubject)] = []
            for closed in try index.closes(from: now - automation.after - Self.catchUp, to: now - automation.after, at: snapshot) {
                // A close names its use case only when it sets one: otherwise it is the conversation's.
                var close = closed.close
                if close.useCase == nil { close.useCase = try Conversation.load(closed.number, from: snapshot)?.state.useCase }
                if automation.follows(close) { due.append((closed.number, .close(close))) }
            }
            return due
        case .afterHours, .firstInbound:
            return []
        }
    }
}
