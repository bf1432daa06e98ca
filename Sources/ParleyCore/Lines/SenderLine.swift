import Foundation

/// One number the business texts from (`lines:` in `parley.yaml`): a front
/// desk, a sales line, an events line. A customer has one conversation
/// whichever line they write to; the line is recorded in each message as
/// its business-side number (`from` when sent, `to` when received).
public struct SenderLine: Equatable, Sendable, Codable {
    /// How people name it on the command line (`--line front-desk`).
    public var name: String
    public var number: PhoneNumber
    /// The provider sending from it; nil: `gateway.provider`.
    public var provider: String?
    /// The id of the registered 10DLC campaign it sends under (`campaigns:`).
    public var campaign: String?
    /// The use cases a first text from this line serves.
    public var useCases: [String]

    public init(name: String, number: PhoneNumber, provider: String? = nil, campaign: String? = nil, useCases: [String] = []) {
        self.name = name
        self.number = number
        self.provider = provider
        self.campaign = campaign
        self.useCases = useCases
    }

    /// "front-desk (+13125550100)".
    public var label: String { "\(name) (\(number.e164))" }

    /// The line a mailbox without `lines:` has: its business number, named `main`.
    static func main(of number: PhoneNumber) -> SenderLine { SenderLine(name: "main", number: number) }

    /// Reads `lines:`, refusing a name or number listed twice, a number that
    /// is not E.164, an unknown campaign or use case.
    static func parseList(_ items: [YAMLFields], campaigns: [Campaign], useCases: [UseCase]) throws(ParleyError) -> [SenderLine] {
        var lines: [SenderLine] = []
        for item in items {
            let name = try item.string("name")
            guard Agent.isValidHandle(name) else { throw item.problem("name", "'\(name)' is not a usable line name: use letters, digits, '.', '_' or '-'") }
            let text = try item.string("number")
            guard text.hasPrefix("+"), let number = PhoneNumber(e164: text) else {
                throw item.problem("number", "line \(name): '\(text)' is not an E.164 number such as +13125550100")
            }
            if let other = lines.first(where: { $0.name == name || $0.number == number }) {
                throw item.problem(other.name == name ? "name" : "number",
                                   other.name == name ? "line '\(name)' is listed twice" : "line \(name): \(text) is already line \(other.name)'s number")
            }
            let campaign = try item.optionalString("campaign")
            if let campaign, !campaigns.contains(where: { $0.id == campaign }) {
                throw item.problem("campaign", "line \(name): campaign '\(campaign)' is not in 'campaigns:'")
            }
            let served = try item.stringList("use_cases")
            if let unknown = served.first(where: { useCase in !useCases.contains { $0.name == useCase } }) {
                throw item.problem("use_cases", "line \(name): '\(unknown)' is not one of the use cases in 'use_cases:'")
            }
            lines.append(SenderLine(name: name, number: number, provider: try item.optionalString("provider"), campaign: campaign, useCases: served))
        }
        return lines
    }
}

/// A registered 10DLC campaign (`campaigns:` in `parley.yaml`): what the
/// carriers approved the lines under it to send.
public struct Campaign: Equatable, Sendable, Codable {
    /// The Campaign Registry's id, or the business's own name for it until registered.
    public var id: String
    /// The campaign's use case as registered (CUSTOMER_CARE, ACCOUNT_NOTIFICATION, MIXED, …).
    public var registeredUseCase: String?
    public var description: String?
    /// Restricted content the campaign declares (and the carriers approved): only these may be sent under it.
    public var content: [ContentCategory]

    public init(id: String, registeredUseCase: String? = nil, description: String? = nil, content: [ContentCategory] = []) {
        self.id = id
        self.registeredUseCase = registeredUseCase
        self.description = description
        self.content = content
    }

    static func parseList(_ items: [YAMLFields]) throws(ParleyError) -> [Campaign] {
        var campaigns: [Campaign] = []
        for item in items {
            let id = try item.string("id")
            guard !campaigns.contains(where: { $0.id == id }) else { throw item.problem("id", "campaign '\(id)' is listed twice") }
            var content: [ContentCategory] = []
            for name in try item.stringList("content") {
                guard let category = ContentCategory(rawValue: name) else {
                    throw item.problem("content", "campaign \(id): unknown content category '\(name)'; categories are "
                        + ContentCategory.allCases.map(\.rawValue).joined(separator: ", "))
                }
                content.append(category)
            }
            campaigns.append(Campaign(id: id, registeredUseCase: try item.optionalString("use_case"),
                                      description: try item.optionalString("description"), content: content))
        }
        return campaigns
    }
}

/// Content carriers restrict on business lines (the CTIA's SHAFT: sex,
/// hate, alcohol, firearms, tobacco—and cannabis, which they treat alike).
public enum ContentCategory: String, Sendable, Codable, CaseIterable {
    case sex, hate, alcohol, firearms, tobacco, cannabis
}
