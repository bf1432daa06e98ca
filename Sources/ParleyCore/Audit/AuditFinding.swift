import Foundation

/// One thing `parley audit` found wrong in the history: which rule, in
/// which commit and file, and what exactly.
public struct AuditFinding: Sendable, Codable, Equatable {
    public enum Rule: String, Sendable, Codable, CaseIterable {
        /// Sent with no consent on record and outside the reply window.
        case consent
        /// Sent after an opt-out, before the customer opted back in.
        case optOut = "opt_out"
        /// Sent while a possible revocation waited for review.
        case review
        /// Sent outside the allowed hours in the recipient's local time.
        case quietHours = "quiet_hours"
        /// A first message that did not name the business or say how to opt out.
        case firstContact = "first_contact"
        /// More than one confirmation answered one opt-out.
        case optOutConfirmation = "opt_out_confirmation"
        /// A delivery receipt for a message the conversation does not hold.
        case orphanReceipt = "orphan_receipt"
        /// A commit changed records without Parley's trailers (by hand, or another tool).
        case unattributedCommit = "unattributed_commit"
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
