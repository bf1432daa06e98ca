import Foundation
import ParleyCore

/// One thing `parley audit` found wrong in the history: which rule, in
/// which commit and file, and what exactly.
public struct AuditFinding: Sendable, Codable, Equatable {
    /// A rule of the send gate, replayed (`ComplianceGate.replayedRules`),
    /// or one that exists for the history alone.
    public enum Rule: Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
        /// The send gate, replayed on the state as it was, refuses the send by this rule.
        case gate(ComplianceRule)
        /// More than one confirmation answered one opt-out.
        case optOutConfirmation
        /// A delivery receipt for a message the conversation does not hold.
        case orphanReceipt
        /// A commit changed records without Parley's trailers (by hand, or another tool).
        case unattributedCommit
        /// A send the review policy holds for a second person went without another agent's approval.
        case approval

        public static let allCases: [Rule] = ComplianceGate.replayedRules.map(Rule.gate) + [.optOutConfirmation, .orphanReceipt, .unattributedCommit, .approval]

        /// The name in `--json` and on the page: the gate's own rule names, then the history's.
        public var rawValue: String {
            switch self {
            case .gate(let rule): rule.rawValue
            case .optOutConfirmation: "opt_out_confirmation"
            case .orphanReceipt: "orphan_receipt"
            case .unattributedCommit: "unattributed_commit"
            case .approval: "approval"
            }
        }

        public var description: String { rawValue }

        public init(from decoder: any Decoder) throws {
            let name = try decoder.singleValueContainer().decode(String.self)
            guard let rule = Self.allCases.first(where: { $0.rawValue == name }) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown audit rule '\(name)'"))
            }
            self = rule
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(rawValue)
        }
    }

    public let rule: Rule
    /// The commit that wrote the record, when the history names one.
    public internal(set) var commit: String?
    public let path: String
    /// The message the finding is about, if it is about one.
    public let message: String?
    public let number: String?
    public let time: Date?
    public internal(set) var detail: String

    public init(rule: Rule, commit: String?, path: String, message: String? = nil, number: String?, time: Date?, detail: String) {
        self.rule = rule
        self.commit = commit
        self.path = path
        self.message = message
        self.number = number
        self.time = time
        self.detail = detail
    }
}

/// A rule a person overrode on a send, with who and why: not a finding,
/// but what an auditor asks to see.
public struct AuditOverride: Sendable, Codable, Equatable {
    public internal(set) var commit: String?
    public let path: String
    public let message: String
    public let number: String
    public let time: Date
    public let agent: String?
    public let rule: String
    public let reason: String
}
