import Foundation

/// An automation: `automations/NAME.yaml` on the main branch, reviewed in
/// Git like a template. It says when Parley texts on its own (a trigger),
/// what (a template), for which use case, within which limits, whether it
/// reads the customer's answer, and whether a random share of the eligible
/// customers is held out so its effect can be measured. Every text it
/// sends goes through the same gate as a person's, as the agent
/// `automation:NAME` (docs/AUTOMATION.md, "Automations").
public struct Automation: Equatable, Sendable {
    public enum Trigger: String, CaseIterable, Sendable {
        /// A customer's text that arrives outside business hours.
        case afterHours = "after_hours"
        /// The first text from a number the mailbox has never exchanged a message with.
        case firstInbound = "first_inbound"
        /// An imported appointment, `before` ahead of it.
        case appointment
        /// A conversation closed (with one of `outcomes`, if given), `after` the close.
        case closed

        /// Run on a timer (`parley automations run`, and every minute in `parley serve`) rather than when a text arrives.
        public var isTimed: Bool { self == .appointment || self == .closed }
    }

    /// What the automation reads in the customer's answer to its text.
    public enum Answers: String, CaseIterable, Sendable {
        /// Confirmed, rescheduled or cancelled (`automations/answers.yaml`); the outcome is recorded and the conversation closed.
        case confirmation
        /// A rating from 1 to 5, or words for one.
        case satisfaction
    }

    public let name: String
    public let trigger: Trigger
    public let template: String
    /// The use case its texts serve; nil: the template's.
    public let useCase: String?
    /// Off: kept in the repository, never run (how `parley init` installs the examples).
    public let enabled: Bool
    /// Appointment trigger: how long before the appointment.
    public let before: TimeInterval?
    /// Closed trigger: how long after the close.
    public let after: TimeInterval
    /// Closed trigger: only closes with one of these outcomes (empty: any).
    public let outcomes: [String]
    /// At most one text from this automation to a customer per this long (a satisfaction question: once a quarter).
    public let oncePerCustomer: TimeInterval
    /// Sends even to a customer who is waiting for a person's answer.
    public let whileWaiting: Bool
    public let answers: Answers?
    public let holdout: Holdout?

    public static let directory = "automations"
    static let agentPrefix = "automation:"

    public static func path(_ name: String) -> String { "\(directory)/\(name).yaml" }

    /// The agent its texts and records carry.
    public var agent: Agent { Agent(handle: Self.agentPrefix + name, name: "\(name) (automation)", email: "\(name)@automation.parley.invalid") }

    /// The automation an agent handle names; nil for a person, Parley itself or another system.
    public static func name(ofAgent handle: String?) -> String? {
        guard let handle, handle.hasPrefix(agentPrefix) else { return nil }
        return String(handle.dropFirst(agentPrefix.count))
    }

    static let keys: Set<String> = ["trigger", "template", "use_case", "enabled", "before", "after", "outcomes", "limits", "answers", "holdout",
                                    "description"]

    /// What an automation file is checked against: the mailbox's settings, its answer words and its committed templates.
    struct Context {
        let config: MailboxConfig
        let answers: AnswerWords
        let template: (String) throws(ParleyError) -> MessageTemplate?
    }

    /// Reads `automations/NAME.yaml` and checks it against the mailbox; every problem is `path:line: problem`.
    static func parse(_ data: Data, name: String, context: Context) throws(ParleyError) -> Automation {
        let path = path(name)
        guard MessageTemplate.isValidName(name) else {
            throw .malformed(FormatIssue(path: path, line: nil, problem: "'\(name)' is not an automation name: use letters, digits and '-'"))
        }
        let fields = try YAMLFields.parseMapping(data, path: path)
        for key in fields.keys where !keys.contains(key) {
            throw fields.problem(key, "unknown key '\(key)'; an automation has \(keys.sorted().joined(separator: ", "))")
        }
        let trigger = try fields.choice("trigger", of: Trigger.self)
        let template = try fields.string("template")
        guard MessageTemplate.isValidName(template) else { throw fields.problem("template", "'\(template)' is not a template name") }
        let before = try duration(fields, "before")
        if trigger == .appointment, before == nil {
            throw fields.problem("trigger", "an appointment automation needs 'before', how long ahead of the appointment it texts (e.g. 24h)")
        }
        if trigger != .appointment, before != nil { throw fields.problem("before", "'before' is for the appointment trigger only") }
        if trigger != .closed, fields.has("after") || fields.has("outcomes") {
            throw fields.problem(fields.has("after") ? "after" : "outcomes", "'after' and 'outcomes' are for the closed trigger only")
        }
        let limits = try fields.nested("limits")
        for key in limits?.keys ?? [] where !["once_per_customer", "while_waiting"].contains(key) {
            throw limits!.problem(key, "unknown limit '\(key)'; limits are once_per_customer and while_waiting")
        }
        guard let body = try context.template(template) else {
            throw fields.problem("template", "no template '\(template)' is committed on main (templates/\(template).md); add it first")
        }
        let useCase = try fields.optionalString("use_case") ?? body.useCase
        let useCases = context.config.monitoring.useCases
        if let useCase, !useCases.contains(where: { $0.name == useCase }) {
            throw fields.problem(fields.has("use_case") ? "use_case" : "template", "'\(useCase)' is not a use case of this mailbox "
                + "(parley.yaml, use_cases: \(useCases.map(\.name).joined(separator: ", ")))")
        }
        let outcomes = try fields.stringList("outcomes")
        let allowed = useCases.filter { useCase == nil || $0.name == useCase }.flatMap(\.outcomes)
        for outcome in outcomes where !allowed.contains(outcome) {
            throw fields.problem("outcomes", "'\(outcome)' is not an outcome of \(useCase ?? "any use case") (\(allowed.joined(separator: ", ")))")
        }
        let answers = try fields.optionalChoice("answers", of: Answers.self)
        if trigger == .appointment || answers == .confirmation {
            guard let useCase else {
                let why = trigger == .appointment ? "appointments are imported per use case" : "a confirmation records one of its outcomes"
                throw fields.problem("use_case", "name the use case ('use_case: appointments'): \(why)")
            }
            if answers == .confirmation {
                let outcomes = useCases.first { $0.name == useCase }?.outcomes ?? []
                for outcome in context.answers.confirmation.keys.sorted() where !outcomes.contains(outcome) {
                    throw fields.problem("answers", "\(AnswerWords.path) reads answers as '\(outcome)', which is not an outcome of \(useCase) "
                        + "(\(outcomes.joined(separator: ", "))): add it to the use case in parley.yaml or rename it in \(AnswerWords.path)")
                }
            }
        }
        return Automation(
            name: name, trigger: trigger, template: template, useCase: useCase,
            enabled: try fields.bool("enabled") ?? true, before: before, after: try duration(fields, "after") ?? 3600,
            outcomes: outcomes,
            oncePerCustomer: try limits.flatMap { limits throws(ParleyError) in try duration(limits, "once_per_customer") } ?? 86_400,
            whileWaiting: try limits?.bool("while_waiting") ?? false, answers: answers,
            holdout: try Holdout.parse(fields.nested("holdout")))
    }

    private static func duration(_ fields: YAMLFields, _ key: String) throws(ParleyError) -> TimeInterval? {
        guard let text = try fields.optionalString(key) else { return nil }
        guard let seconds = UseCase.duration(text) else {
            throw fields.problem(key, "'\(key)' must be a duration such as 30m, 24h or 7d, not '\(text)'")
        }
        return seconds
    }
}
