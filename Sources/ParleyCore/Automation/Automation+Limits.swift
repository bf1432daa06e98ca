import Foundation

extension Automation {
    /// A message as the limits read it, from a conversation or from the index.
    public struct PastMessage: Sendable {
        public let id: String
        public let time: Date
        public let inbound: Bool
        public let agent: String?

        public init(id: String, time: Date, inbound: Bool, agent: String?) {
            self.id = id
            self.time = time
            self.inbound = inbound
            self.agent = agent
        }
    }

    /// Why a limit stops a text at `now`, or nil—the one statement of the
    /// limits, which a run (`AutomationAttempt`) and a dry run both ask.
    /// `history` is the conversation in time order; `trigger` the customer's
    /// text that set it off (an earlier wait counts, not this one); `earlier`
    /// the dry run's own would-be texts; `open` whether the conversation is.
    public func limit(at now: Date, history: [PastMessage], trigger: PastMessage?, earlier: [Date] = [], open: Bool = true,
                      zone: TimeZone) -> String? {
        let own = history.filter { !$0.inbound && $0.agent == agent.handle && $0.time <= now }.map(\.time) + earlier.filter { $0 <= now }
        if let last = own.max(), now.timeIntervalSince(last) < oncePerCustomer {
            return "it texted them at \(Timestamp.format(last, in: zone)); at most once per customer per \(UseCase.durationText(oncePerCustomer))"
        }
        guard !whileWaiting else { return nil }
        // A person's conversation before the trigger: automations' texts and Parley's keyword replies left out.
        let before = history.prefix { message in trigger.map { (message.time, message.id) < ($0.time, $0.id) } ?? (message.time <= now) }
        let personal = before.filter { Self.name(ofAgent: $0.agent) == nil && $0.agent != Agent.systemHandle }
        if let last = personal.last, last.inbound, open {
            return "the customer has waited for a person's answer since \(Timestamp.format(last.time, in: zone)) "
                + "(limits: while_waiting: true allows it)"
        }
        return nil
    }

    /// Whether a closed automation follows this close: one of its outcomes (if it names any), its use case (if it
    /// has one; `close.useCase` is the conversation's at the close), and made by a person, not by an automation.
    public func follows(_ close: ConversationEvent) -> Bool {
        (outcomes.isEmpty || close.outcome.map(outcomes.contains) == true) && (useCase == nil || close.useCase == useCase)
            && Self.name(ofAgent: close.by) == nil
    }
}
