/// The `compliance:` and `keywords:` sections of `parley.yaml`: how the
/// send gate treats customers who texted first, which rules a person may
/// override, and the automatic keyword replies.
public struct CompliancePolicy: Equatable, Sendable {
    /// Answering a customer who texted first, without a consent record, is
    /// allowed for this many hours after their latest message; 0 never.
    public var replyWindowHours = 24
    /// Rules a person may override with `--override RULE --reason TEXT`.
    /// Consent, opt-out and review can never be overridden.
    public var overridable: Set<ComplianceRule> = [.quietHours, .firstContact, .tone, .segments]
    /// More phrases that send a reply to the review queue.
    public var revocationPhrases: [String] = []
    /// Send the confirmation and HELP replies below; switch off when the
    /// gateway answers STOP/START/HELP itself (a second reply to STOP
    /// triggers carrier error 21610).
    public var keywordReplies = true
    public var stopReply: String?
    public var startReply: String?
    public var helpReply: String?

    public init() {}

    public static let neverOverridable: Set<ComplianceRule> = [.number, .consent, .optOut, .reachable, .review, .line]

    func stopReplyText(_ business: String) -> String {
        stopReply ?? "\(business): you are unsubscribed and will receive no more messages. Reply START to resubscribe."
    }

    func startReplyText(_ business: String) -> String {
        startReply ?? "\(business): you are subscribed again. Reply STOP to opt out."
    }

    func helpReplyText(_ business: String, _ number: PhoneNumber) -> String {
        helpReply ?? "\(business): appointment and service texts. For help call \(number.formatted). Reply STOP to opt out."
    }

    static func parse(compliance: YAMLFields?, keywords: YAMLFields?) throws(ParleyError) -> CompliancePolicy {
        var policy = CompliancePolicy()
        if let compliance {
            policy.replyWindowHours = try compliance.int("reply_window_hours") ?? policy.replyWindowHours
            if compliance.has("overridable") {
                var rules: Set<ComplianceRule> = []
                for name in try compliance.stringList("overridable") {
                    guard let rule = ComplianceRule(rawValue: name) else {
                        throw compliance.problem("overridable",
                            "unknown rule '\(name)'; rules are \(ComplianceRule.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    guard !neverOverridable.contains(rule) else {
                        throw compliance.problem("overridable", "'\(name)' can never be overridden")
                    }
                    rules.insert(rule)
                }
                policy.overridable = rules
            }
            policy.revocationPhrases = try compliance.stringList("revocation_phrases")
        }
        if let keywords {
            policy.keywordReplies = try keywords.bool("replies") ?? true
            policy.stopReply = try keywords.optionalString("stop_reply")
            policy.startReply = try keywords.optionalString("start_reply")
            policy.helpReply = try keywords.optionalString("help_reply")
        }
        return policy
    }
}

/// The send gate's rules, in the order they are checked.
public enum ComplianceRule: String, CaseIterable, Sendable, Codable, Comparable {
    case number
    case consent
    case optOut = "opt_out"
    /// A carrier said the number can never receive a text.
    case reachable
    case review
    /// The sending line is paused (its sends fail or are filtered).
    case line
    case quietHours = "quiet_hours"
    /// State limits on texts per person per subject per day.
    case frequency
    case firstContact = "first_contact"
    case tone
    /// What carriers filter: public shorteners, restricted content, another business's name.
    case content
    case segments

    public static func < (lhs: ComplianceRule, rhs: ComplianceRule) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
