import Foundation

/// `parley.yaml`: the mailbox's settings, edited by hand and reviewed in
/// Git. It never holds a secret; gateway credentials come from the
/// environment or a credentials file outside the repository.
public struct MailboxConfig: Equatable, Sendable {
    /// The mailbox format this version of Parley reads and writes.
    /// Format 2 keeps records on their own branch (docs/FORMAT.md); format 1
    /// mailboxes are still read and written until `parley migrate`.
    public static let currentFormat = 2

    public var format: Int
    public var businessName: String
    /// The number messages are sent from.
    public var businessNumber: PhoneNumber
    /// Two-letter country for numbers typed without a country code.
    public var defaultCountry: String
    /// IANA zone of the business, used for reports and the viewer's default.
    public var timeZone: String
    public var gateway: GatewaySettings
    /// Agents known to the mailbox (handle → display name); assignment to
    /// others is allowed but warned about.
    public var agents: [String: String]
    public var compliance: CompliancePolicy
    /// Business hours, use cases, targets and outcomes (reports, overdue).
    public var monitoring: MonitoringSettings
    /// More patterns removed from inbound texts and refused outbound (`redact:`).
    public var redactions: [RedactionPattern] = []
    /// Which texts need a second person's approval before they go.
    public var review = ReviewPolicy()
    /// How long records are kept (`retention:`); nothing expires when unset.
    public var retention = RetentionPolicy()
    /// The numbers the business texts from (`lines:`); empty: one line, `business.number`.
    public var lines: [SenderLine] = []
    /// The registered 10DLC campaigns the lines send under (`campaigns:`).
    public var campaigns: [Campaign] = []
    /// Branded link domains and other sender names (`content:`).
    public var content = ContentPolicy()
    /// When a line pauses itself, and more carrier error codes (`deliverability:`).
    public var deliverability = DeliverabilityPolicy()

    /// Every line: those listed, or the business number alone as `main`.
    public var senderLines: [SenderLine] { lines.isEmpty ? [SenderLine.main(of: businessNumber)] : lines }

    /// The line of `business.number`, else the first listed: where a text goes from when nothing else decides.
    public var defaultLine: SenderLine { senderLines.first { $0.number == businessNumber } ?? senderLines[0] }

    /// Each line's name by its number, for showing which line a message used;
    /// empty with one line, where there is nothing to tell apart.
    public var lineNames: [PhoneNumber: String] {
        lines.count > 1 ? Dictionary(lines.map { ($0.number, $0.name) }, uniquingKeysWith: { first, _ in first }) : [:]
    }

    /// The line with this number, if it is one of the business's.
    public func line(number: PhoneNumber) -> SenderLine? { senderLines.first { $0.number == number } }

    /// The campaign `line` sends under.
    public func campaign(of line: SenderLine?) -> Campaign? { line?.campaign.flatMap { id in campaigns.first { $0.id == id } } }

    public init(
        format: Int = MailboxConfig.currentFormat, businessName: String, businessNumber: PhoneNumber,
        defaultCountry: String = "US", timeZone: String, gateway: GatewaySettings = GatewaySettings(), agents: [String: String] = [:],
        compliance: CompliancePolicy = CompliancePolicy(), monitoring: MonitoringSettings = MonitoringSettings()
    ) {
        self.format = format
        self.businessName = businessName
        self.businessNumber = businessNumber
        self.defaultCountry = defaultCountry
        self.timeZone = timeZone
        self.gateway = gateway
        self.agents = agents
        self.compliance = compliance
        self.monitoring = monitoring
    }

    /// Gateway choice and its non-secret settings (URLs, account ids).
    public struct GatewaySettings: Equatable, Sendable {
        public var provider: String
        /// Provider-specific settings, e.g. `account_sid`, `url`.
        public var settings: [String: String]

        public init(provider: String = "sandbox", settings: [String: String] = [:]) {
            self.provider = provider
            self.settings = settings
        }
    }

    public static func parse(_ data: Data, path: String = MailboxLayout.configFile) throws(ParleyError) -> MailboxConfig {
        let fields = try YAMLFields.parseMapping(data, path: path)
        guard let format = try fields.int("format") else {
            throw .malformed(FormatIssue(path: path, line: 1, problem: "missing 'format' (this Parley writes format \(currentFormat))"))
        }
        guard format <= currentFormat else {
            throw fields.problem("format", "mailbox format \(format) is newer than this Parley understands (\(currentFormat)); upgrade Parley")
        }
        guard let business = try fields.nested("business") else {
            throw .malformed(FormatIssue(path: path, line: nil, problem: "missing 'business' with 'name' and 'number'"))
        }
        let numberText = try business.string("number")
        let country = (try fields.optionalString("default_country") ?? "US").uppercased()
        guard PhoneNumber.isKnownRegion(country) else {
            throw fields.problem("default_country", "'\(country)' is not a country Parley knows: use a two-letter ISO code such as US, CA or GB")
        }
        let number: PhoneNumber
        do {
            number = try PhoneNumber.parse(numberText, defaultRegion: country)
        } catch {
            throw business.problem("number", "business number: \(error)")
        }
        let zone = try fields.optionalString("timezone") ?? "America/New_York"
        guard TimeZone(identifier: zone) != nil else {
            throw fields.problem("timezone", "unknown time zone '\(zone)': use an IANA name such as America/Chicago")
        }
        var gateway = GatewaySettings()
        if let section = try fields.nested("gateway") {
            gateway.provider = try section.optionalString("provider") ?? "sandbox"
            for key in section.keys where key != "provider" {
                if let value = try section.optionalString(key) { gateway.settings[key] = value }
            }
        }
        var agents: [String: String] = [:]
        for agent in try fields.nestedList("agents") {
            let handle = try agent.string("handle")
            guard Agent.isValidHandle(handle) else { throw agent.problem("handle", "'\(handle)' is not a valid agent handle") }
            agents[handle] = try agent.optionalString("name") ?? handle
        }
        var config = MailboxConfig(
            format: format, businessName: try business.string("name"), businessNumber: number,
            defaultCountry: country, timeZone: zone, gateway: gateway, agents: agents,
            compliance: try CompliancePolicy.parse(compliance: fields.nested("compliance"), keywords: fields.nested("keywords")),
            monitoring: try MonitoringSettings.parse(fields))
        config.redactions = try RedactionPattern.parseList(fields.nestedList("redact"))
        config.retention = try RetentionPolicy.parse(fields.nested("retention"))
        config.review = try ReviewPolicy.parse(fields.nested("review"))
        config.campaigns = try Campaign.parseList(fields.nestedList("campaigns"))
        config.lines = try SenderLine.parseList(fields.nestedList("lines"), campaigns: config.campaigns, useCases: config.monitoring.useCases)
        config.content = try ContentPolicy.parse(fields.nested("content"))
        config.deliverability = try DeliverabilityPolicy.parse(fields.nested("deliverability"))
        return config
    }

    /// `parley.yaml` as a person wrote it, with its `format:` line set to
    /// `format`: comments and layout stay as they are.
    public static func settingFormat(_ format: Int, in data: Data, path: String = MailboxLayout.configFile) throws(ParleyError) -> Data {
        guard let text = String(data: data, encoding: .utf8) else { throw .malformed(FormatIssue(path: path, line: nil, problem: "not UTF-8 text")) }
        var lines = text.components(separatedBy: "\n")
        guard let index = lines.firstIndex(where: { $0.hasPrefix("format:") }) else {
            throw .malformed(FormatIssue(path: path, line: 1, problem: "missing 'format' at the start of a line"))
        }
        let comment = lines[index].range(of: " #").map { String(lines[index][$0.lowerBound...]) } ?? ""
        lines[index] = "format: \(format)" + comment
        return Data(lines.joined(separator: "\n").utf8)
    }

    /// The commented `parley.yaml` that `parley init` writes.
    public func fileData() -> Data {
        var yaml = YAMLWriter()
        yaml.comment("Parley mailbox settings. Reviewed in Git like everything else here.")
        yaml.comment("Never put a secret in this file: gateway credentials come from the environment")
        yaml.comment("(PARLEY_TWILIO_AUTH_TOKEN, …) or a 0600 credentials file outside the repository.")
        yaml.field("format", format)
        yaml.blankLine()
        yaml.mapping("business") { business in
            business.field("name", businessName)
            business.comment("the number messages are sent from")
            business.field("number", businessNumber.e164)
        }
        yaml.comment("country assumed for numbers typed without +country code")
        yaml.field("default_country", defaultCountry)
        yaml.field("timezone", timeZone)
        yaml.blankLine()
        yaml.mapping("gateway") { section in
            section.comment("sandbox (built in, offline), twilio, kannel, telnyx, plivo, vonage or bandwidth")
            section.field("provider", gateway.provider)
            for key in gateway.settings.keys.sorted() { section.field(key, gateway.settings[key]) }
        }
        yaml.blankLine()
        yaml.mapping("compliance") { section in
            section.comment("answering a customer who texted first without a consent record is allowed")
            section.comment("for this many hours after their latest message (0: never)")
            section.field("reply_window_hours", compliance.replyWindowHours)
            section.comment("rules a person may override with --override RULE --reason TEXT")
            section.list("overridable", compliance.overridable.sorted().map(\.rawValue))
            section.list("revocation_phrases", compliance.revocationPhrases)
        }
        yaml.mapping("keywords") { section in
            section.comment("automatic STOP/START/HELP replies; set to false when the gateway sends its own")
            section.field("replies", compliance.keywordReplies)
            section.field("stop_reply", compliance.stopReply)
            section.field("start_reply", compliance.startReply)
            section.field("help_reply", compliance.helpReply)
        }
        yaml.blankLine()
        monitoring.write(into: &yaml)
        if !redactions.isEmpty {
            yaml.blankLine()
            yaml.mappingList("redact", redactions.map { [("name", $0.name), ("pattern", $0.pattern), ("label", $0.label)] })
        }
        if retention != RetentionPolicy() {
            yaml.blankLine()
            retention.write(into: &yaml)
        }
        if !review.isEmpty {
            yaml.blankLine()
            review.write(into: &yaml)
        }
        if !agents.isEmpty {
            yaml.blankLine()
            yaml.mappingList("agents", agents.keys.sorted().map { [("handle", $0), ("name", agents[$0])] })
        }
        return Data(yaml.text.utf8)
    }
}
