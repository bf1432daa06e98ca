import Foundation

/// Which texts need a second person before they go (`parley.yaml`,
/// `review:`): every text of the listed agents (new colleagues), and texts
/// of the listed kinds from anyone. The one place the rule is stated: the
/// send asks it, and the audit asks it again of every past send.
public struct ReviewPolicy: Equatable, Sendable {
    /// A kind of text that always needs review.
    public enum Kind: String, Sendable, CaseIterable, Codable {
        /// The first text to a number.
        case firstContact = "first_contact"
        /// A text not written from a template.
        case notFromTemplate = "not_from_template"
        /// A text that overrides any rule.
        case override
    }

    /// Why one text needs review.
    public enum Reason: Equatable, Sendable, CustomStringConvertible {
        case agent(String)
        case kind(Kind)

        public var description: String {
            switch self {
            case .agent(let handle): "texts by \(handle) are reviewed"
            case .kind(.firstContact): "first contact"
            case .kind(.notFromTemplate): "not from a template"
            case .kind(.override): "overrides a rule"
            }
        }
    }

    public var agents: [String]
    public var always: [Kind]
    /// An approval counts only in a commit signed with an SSH key that the
    /// repository's `allowed_signers` lists for the approver's address.
    public var requireSigned: Bool

    public init(agents: [String] = [], always: [Kind] = [], requireSigned: Bool = false) {
        self.agents = agents
        self.always = always
        self.requireSigned = requireSigned
    }

    public var isEmpty: Bool { agents.isEmpty && always.isEmpty }

    /// Why a text by `agent` needs a second person; empty when it does not.
    public func reasons(agent: String, fromTemplate: Bool, firstContact: Bool, overrides: Bool) -> [Reason] {
        var reasons: [Reason] = agents.contains(agent) ? [.agent(agent)] : []
        if always.contains(.firstContact), firstContact { reasons.append(.kind(.firstContact)) }
        if always.contains(.notFromTemplate), !fromTemplate { reasons.append(.kind(.notFromTemplate)) }
        if always.contains(.override), overrides { reasons.append(.kind(.override)) }
        return reasons
    }

    static func parse(_ fields: YAMLFields?) throws(ParleyError) -> ReviewPolicy {
        guard let fields else { return ReviewPolicy() }
        var policy = ReviewPolicy()
        for handle in try fields.stringList("agents") {
            guard Agent.isValidHandle(handle) else { throw fields.problem("agents", "'\(handle)' is not a valid agent handle") }
            policy.agents.append(handle.lowercased())
        }
        for text in try fields.stringList("always") {
            guard let kind = Kind(rawValue: text) else {
                throw fields.problem("always", "'\(text)' is not a kind of text: use \(Kind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            policy.always.append(kind)
        }
        policy.requireSigned = try fields.bool("require_signed") ?? false
        return policy
    }

    func write(into yaml: inout YAMLWriter) {
        guard !isEmpty else { return }
        yaml.mapping("review") { section in
            section.comment("texts that need a second person's approval before they go (parley approvals, parley approve)")
            section.list("agents", agents)
            section.list("always", always.map(\.rawValue))
            if requireSigned { section.field("require_signed", true) }
        }
    }
}
