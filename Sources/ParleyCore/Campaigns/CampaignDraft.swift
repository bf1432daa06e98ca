import Foundation

/// `parley campaign draft`: what a 10DLC campaign registration asks for—the
/// brand, the use case, a description, the opt-in flow, sample messages and
/// the HELP/STOP replies—drafted from the mailbox itself (its settings,
/// its templates rendered, its consent records) into one Markdown file for
/// a person to review, and linted against the reasons carriers and The
/// Campaign Registry most often reject a campaign.
public struct CampaignDraft: MailboxFeature {
    public let mailbox: Mailbox

    public init(_ mailbox: Mailbox) { self.mailbox = mailbox }

    /// One thing a reviewer at the carrier would reject, with what to change.
    public struct Finding: Sendable, Equatable, Codable, CustomStringConvertible {
        public let problem: String
        public let fix: String
        public var description: String { "\(problem); \(fix)" }
    }

    public struct Result: Sendable {
        public let markdown: String
        public let findings: [Finding]
        /// The templates drafted as samples.
        public let samples: [String]
    }

    /// The draft for `campaignID` (its lines' use cases), or for the whole mailbox when nil.
    public func draft(campaign campaignID: String?) throws(ParleyError) -> Result {
        let campaign = try campaignID.map { id throws(ParleyError) -> Campaign in
            guard let found = config.campaigns.first(where: { $0.id == id }) else {
                throw .invalidInput("'\(id)' is not a campaign in parley.yaml (campaigns: "
                    + (config.campaigns.isEmpty ? "none declared" : config.campaigns.map(\.id).joined(separator: ", ")) + ")")
            }
            return found
        }
        let lines = campaign.map { campaign in config.senderLines.filter { $0.campaign == campaign.id } } ?? config.senderLines
        // The lines' use cases; lines that name none serve them all.
        let named = Set(lines.flatMap(\.useCases))
        let useCases = named.isEmpty ? Set(config.monitoring.useCases.map(\.name)) : named
        let templates = try mailbox.templates.all().filter { template in useCases.isEmpty || template.useCase.map(useCases.contains) ?? true }
        let samples = templates.map { template in (template, Self.sample(template, business: config.businessName)) }
        // The mailbox's own word list and shorteners, as the send gate reads them.
        var findings = lint(samples: samples, lines: lines, useCases: useCases, campaign: campaign,
                            gate: try ComplianceGate.reading(store.snapshot(), config: config))
        if samples.isEmpty {
            findings.append(Finding(problem: "no template to show as a sample message",
                                    fix: "write at least two templates for the campaign's use cases (parley template new)"))
        }
        let markdown = render(campaign: campaign, lines: lines, useCases: useCases.sorted(), samples: samples, findings: findings)
        return Result(markdown: markdown, findings: findings, samples: templates.map(\.name))
    }

    /// A template with its variables shown as the reviewer should read them: defaults, else `[name]`.
    static func sample(_ template: MessageTemplate, business: String) -> String {
        var values = ["business_name": business]
        for name in template.requiredVariables where values[name] == nil {
            values[name] = template.variables.first { $0.name == name }?.defaultValue ?? "[\(name.replacingOccurrences(of: "_", with: " "))]"
        }
        return (try? template.render(values)) ?? template.body
    }

    private func lint(samples: [(MessageTemplate, String)], lines: [SenderLine], useCases: Set<String>, campaign: Campaign?,
                      gate: ComplianceGate) -> [Finding] {
        var findings: [Finding] = []
        let business = config.businessName.lowercased()
        let check = gate.content
        for (template, text) in samples {
            if !text.lowercased().contains(business) && !config.content.senderNames.contains(where: { text.lowercased().contains($0.lowercased()) }) {
                findings.append(Finding(problem: "sample '\(template.name)' does not name \(config.businessName)",
                                        fix: "carriers reject samples that do not say who is texting: add {{business_name}}"))
            }
            if let link = check.shortLinks(in: text).first {
                findings.append(Finding(problem: "sample '\(template.name)' links through \(link.host), a public shortener",
                                        fix: "use your own (branded) domain"))
            }
            if let useCase = template.useCase, !useCases.isEmpty, !useCases.contains(useCase) {
                findings.append(Finding(problem: "sample '\(template.name)' is for \(useCase), which no line of this campaign serves",
                                        fix: "leave it out, or add \(useCase) to the line's use_cases"))
            }
            for found in check.undeclaredContent(in: text, campaign: campaign) {
                findings.append(Finding(problem: "sample '\(template.name)' mentions \(found.category.rawValue) ('\(found.word)')",
                                        fix: "declare it on the campaign only if it was registered with it; else reword the template"))
            }
        }
        if !samples.contains(where: { ComplianceGate.givesOptOutInstruction($0.1) }) {
            findings.append(Finding(problem: "no sample message says how to opt out",
                                    fix: "at least one sample (the first message a customer gets) must say \"Reply STOP to opt out\""))
        }
        if campaign == nil {
            findings.append(Finding(problem: "no campaign is named (--campaign), so the draft covers every line",
                                    fix: "declare the registered campaign in parley.yaml (campaigns: - id:, use_case:, description:) and name it"))
        } else if campaign?.description == nil {
            findings.append(Finding(problem: "the campaign has no description in parley.yaml",
                                    fix: "add campaigns: - description: who you text, why, and how they agreed (the draft below suggests one)"))
        }
        if lines.isEmpty {
            findings.append(Finding(problem: "no line sends under this campaign", fix: "name it in a line's campaign: in parley.yaml"))
        }
        return findings
    }

    private func render(campaign: Campaign?, lines: [SenderLine], useCases: [String], samples: [(MessageTemplate, String)],
                        findings: [Finding]) -> String {
        let business = config.businessName
        let purposes = useCases.joined(separator: ", ")
        let suggested = "\(business) sends one-to-one texts about \(purposes) to customers who gave their number and agreed to receive texts. "
            + "Staff answer each conversation; customers can reply STOP to opt out or HELP for help at any time."
        var text = "# 10DLC campaign draft: \(campaign?.id ?? "all lines") — \(business)\n\n"
        text += "Drafted by `parley campaign draft` from parley.yaml, the templates and the consent records. Review every section "
            + "before you submit it to your provider.\n\n"
        text += "## Brand\n\n- Business name: \(business)\n- Main number: \(config.businessNumber.e164)\n"
        text += "- Lines under this campaign: " + (lines.isEmpty ? "none" : lines.map(\.label).joined(separator: ", ")) + "\n\n"
        text += "## Use case\n\n- Registered use case: \(campaign?.registeredUseCase ?? "(not set: CUSTOMER_CARE, ACCOUNT_NOTIFICATION or MIXED)")\n"
        text += "- What the texts are about: \(purposes)\n"
        text += "- Restricted content declared: " + ((campaign?.content ?? []).isEmpty ? "none" : campaign!.content.map(\.rawValue).joined(separator: ", "))
            + "\n\n"
        text += "## Campaign description\n\n\(campaign?.description ?? suggested)\n\n"
        text += "## Opt-in (message flow)\n\n" + optInFlow() + "\n\n"
        text += "## Sample messages\n\n"
        for (index, sample) in samples.enumerated() {
            text += "\(index + 1). \(sample.1.replacingOccurrences(of: "\n", with: " "))  \n   _template \(sample.0.name)"
                + (sample.0.useCase.map { ", \($0)" } ?? "") + "_\n"
        }
        let compliance = config.compliance
        text += "\n## Opt-out and help replies\n\n"
        text += "- STOP: \(compliance.stopReplyText(business))\n- HELP: \(compliance.helpReplyText(business, config.businessNumber))\n"
        text += "- START: \(compliance.startReplyText(business))\n\n"
        let bodies = samples.map(\.1).joined(separator: "\n")
        text += "## Content attributes\n\n"
        text += "- Embedded links: \(bodies.range(of: #"https?://|www\.|\.[a-z]{2,}/"#, options: .regularExpression) != nil ? "yes" : "no")\n"
        text += "- Embedded phone numbers: \(bodies.range(of: #"\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}"#, options: .regularExpression) != nil ? "yes" : "no")\n"
        text += "- Age-gated content: \((campaign?.content ?? []).contains { [.alcohol, .tobacco, .cannabis, .firearms].contains($0) } ? "yes" : "no")\n"
        text += "- Direct lending or loan arrangement: no\n\n"
        text += "## Review\n\n" + (findings.isEmpty ? "No common rejection reason found.\n"
            : findings.map { "- [ ] \($0.problem): \($0.fix)" }.joined(separator: "\n") + "\n")
        return text
    }

    /// How customers gave consent, from the records: each method with how many, and the disclosure most of them saw.
    private func optInFlow() -> String {
        var methods: [String: Int] = [:], disclosures: [String: Int] = [:]
        if let scan = try? store.index().conversations(at: store.snapshot(), onlyUnderReview: false, progress: nil) {
            for summary in scan.summaries {
                guard let grant = summary.consent.grant else { continue }
                methods[grant.method?.rawValue ?? "unknown", default: 0] += 1
                if let disclosure = grant.disclosure { disclosures[disclosure, default: 0] += 1 }
            }
        }
        guard !methods.isEmpty else {
            return "No consent recorded yet. Describe where customers give their number and what they are told (the disclosure), e.g. a "
                + "booking form with an unchecked box: \"I agree to receive appointment texts from \(config.businessName). Msg & data rates may "
                + "apply. Reply STOP to opt out, HELP for help.\""
        }
        let how = methods.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\($0.key.replacingOccurrences(of: "_", with: " ")) (\($0.value))" }
        var text = "Customers opt in by: " + how.joined(separator: ", ") + ". Each consent is recorded with its disclosure, time and evidence."
        if let common = disclosures.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }) {
            text += "\n\nThe disclosure they see:\n\n> \(common.key)"
        }
        return text
    }
}
