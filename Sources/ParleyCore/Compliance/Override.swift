import Foundation

/// A rule a person overrode for one message, with the reason they gave.
/// Message files, outbox entries and `Parley-Override` trailers carry it
/// as `rule: reason`; this type is the one place that spelling is made and read.
public struct Override: Sendable, Hashable, Codable, CustomStringConvertible {
    public let rule: ComplianceRule
    public let reason: String

    public init(rule: ComplianceRule, reason: String) {
        self.rule = rule
        self.reason = reason
    }

    /// Reads `rule: reason`; nil when the rule is not one Parley knows.
    public init?(text: String) {
        let parts = text.split(separator: ":", maxSplits: 1)
        guard let first = parts.first, let rule = ComplianceRule(rawValue: String(first)) else { return nil }
        self.init(rule: rule, reason: parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : "")
    }

    public var description: String { "\(rule.rawValue): \(reason)" }

    /// In JSON as on file: `rule: reason`.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let override = Override(text: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "'\(text)' is not 'rule: reason'"))
        }
        self = override
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// The overrides a send records: every verdict that was overridden, with its reason.
    static func recorded(in verdicts: [RuleVerdict], reasons: [ComplianceRule: String]) -> [Override] {
        verdicts.filter { $0.outcome == .overridden }.map { Override(rule: $0.rule, reason: reasons[$0.rule] ?? "") }
    }

    /// The reasons by rule, as `OutgoingMessage.overrides` takes them back (a scheduled send going out).
    public static func reasons(_ overrides: [Override]) -> [ComplianceRule: String] {
        Dictionary(overrides.map { ($0.rule, $0.reason) }, uniquingKeysWith: { first, _ in first })
    }

    /// The `overrides:` list of a message or outbox file; a rule Parley does not know is malformed.
    static func list(_ fields: YAMLFields) throws(ParleyError) -> [Override] {
        var overrides: [Override] = []
        for text in try fields.stringList("overrides") {
            guard let override = Override(text: text) else {
                throw fields.problem("overrides", "'\(text)' is not 'rule: reason' with a rule of \(ComplianceRule.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            overrides.append(override)
        }
        return overrides
    }
}

extension CompliancePolicy {
    /// The overrides a person asked for, refused when `parley.yaml` does not let a rule be overridden.
    public func overrides(_ rules: [ComplianceRule], reason: String?) throws(ParleyError) -> [ComplianceRule: String] {
        var result: [ComplianceRule: String] = [:]
        for rule in rules {
            guard overridable.contains(rule) else {
                let allowed = overridable.sorted().map(\.rawValue).joined(separator: ", ")
                throw .invalidInput("'\(rule.rawValue)' cannot be overridden (parley.yaml compliance.overridable: \(allowed))")
            }
            result[rule] = reason
        }
        return result
    }
}
