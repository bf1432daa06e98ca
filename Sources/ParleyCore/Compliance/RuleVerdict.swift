/// One rule's answer for one message.
public struct RuleVerdict: Equatable, Sendable, Codable {
    public enum Outcome: String, Sendable, Codable {
        case passed, failed, overridden
    }

    public let rule: ComplianceRule
    public let outcome: Outcome
    /// What the rule saw: "21:14 in America/Chicago for +13125550147; allowed 08:00–21:00 (IL)".
    public let facts: String
    /// What to do about a failure.
    public let wayOut: String?
    /// Findings that do not block (tone warnings).
    public let warnings: [String]
    /// The basis of the decision in a compact form the send commit records
    /// as a trailer, so an audit can replay it from the commit alone.
    public let basis: String?

    public init(rule: ComplianceRule, outcome: Outcome, facts: String, wayOut: String? = nil, warnings: [String] = [], basis: String? = nil) {
        self.rule = rule
        self.outcome = outcome
        self.facts = facts
        self.wayOut = wayOut
        self.warnings = warnings
        self.basis = basis
    }
}
