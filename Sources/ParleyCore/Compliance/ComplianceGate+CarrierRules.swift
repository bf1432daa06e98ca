import Foundation

/// The rules that keep a sender in the carriers' good books (docs/COMPLIANCE.md,
/// "Lines and carriers", "Frequency"): numbers that take no texts, paused
/// lines, state limits on texts a day, and content carriers filter.
extension ComplianceGate {
    func reachable(_ input: Input) -> RuleVerdict {
        if !input.hasOutbound, let contact = input.contact, contact.lineType?.takesNoTexts == true,
           let checked = contact.lineTypeCheckedAt, checked <= input.time {
            return RuleVerdict(rule: .reachable, outcome: .failed,
                               facts: "\(input.number.e164) is a \(contact.lineType!.rawValue) (\(contact.lineTypeSource ?? "a lookup") on \(local(checked))): "
                                   + "a first text would never arrive",
                               wayOut: "call them, and text a mobile number they give you; if the lookup is wrong, correct line_type in the "
                                   + "contact: parley contact edit \(input.number.e164)")
        }
        guard let mark = input.unreachable else { return passed(.reachable, "no carrier has said \(input.number.e164) cannot take texts") }
        return RuleVerdict(rule: .reachable, outcome: .failed,
                           facts: "\(input.number.e164) cannot receive texts: \(mark.reason) (since \(local(mark.since)))",
                           wayOut: "reach them another way; if the number takes texts again (ported, confirmed by the customer): "
                               + "parley contact reachable \(input.number.e164) --reason TEXT")
    }

    func line(_ input: Input) -> RuleVerdict {
        let line = input.line ?? config.defaultLine
        guard let pause = input.linePause else {
            return passed(.line, "from line \(line.label)", basis: "\(line.name) \(line.number.e164)")
        }
        return RuleVerdict(rule: .line, outcome: .failed, facts: "line \(line.label) is paused: \(pause)",
                           wayOut: "find the cause (parley report shows the line's deliverability), then: parley line resume \(line.name) "
                               + "--reason TEXT; or send from another line with --line",
                           basis: "\(line.name) \(line.number.e164)")
    }

    func frequency(_ input: Input) -> RuleVerdict {
        // A replay needs no location (a zone lookup through ICU) for a text no state's limit could refuse.
        if !explaining, FrequencyLimit.recent(input.earlierSends, subject: input.subject, before: input.time,
                                              window: FrequencyLimit.longestWindow).count < FrequencyLimit.lowestMaximum {
            return passed(.frequency, "")
        }
        let state = QuietHours.Location.of(input.number, contact: input.contact, businessZone: businessZone).state
        guard let state, let rule = FrequencyLimit.states[state] else {
            return passed(.frequency, "no state limit on texts a day applies to \(input.number.e164)"
                              + (state.map { " (\($0))" } ?? ""))
        }
        let recent = FrequencyLimit.recent(input.earlierSends, subject: input.subject, before: input.time, window: rule.window).sorted()
        let subject = input.subject ?? "no use case"
        let hours = Int(rule.window / 3600)
        let basis = "\(state) \(recent.count + 1) of \(rule.maximum) in \(hours)h on \(subject)"
        guard recent.count >= rule.maximum else {
            return passed(.frequency, "text \(recent.count + 1) of at most \(rule.maximum) in \(hours) h to \(input.number.e164) on \(subject) "
                              + "(\(state): \(rule.law))", basis: basis)
        }
        let next = recent[recent.count - rule.maximum].addingTimeInterval(rule.window)
        return RuleVerdict(rule: .frequency, outcome: .failed,
                           facts: "\(recent.count) texts to \(input.number.e164) on \(subject) in the last \(hours) h; \(state) allows \(rule.maximum) "
                               + "(\(rule.law))",
                           wayOut: explaining ? "wait: the next allowed time is \(local(next)); queue it with --at \(local(next))" : nil,
                           basis: basis)
    }

    func content(_ input: Input) -> RuleVerdict {
        let campaign = config.campaign(of: input.line ?? config.defaultLine)
        var problems: [String] = [], ways: [String] = []
        let links = content.shortLinks(in: input.body)
        if let first = links.first {
            problems.append("links through \(first.host), a public shortener carriers filter")
            ways.append("link to your own domain" + (config.content.brandedDomains.isEmpty ? " (declare a branded short domain in parley.yaml, "
                + "content.branded_domains)" : " (\(config.content.brandedDomains.joined(separator: ", ")))"))
        }
        let touched = content.words.categories(in: input.body)
        let undeclared = ContentCheck.undeclared(touched, campaign: campaign)
        if !undeclared.isEmpty {
            problems.append("mentions " + undeclared.map { "\($0.category.rawValue) ('\($0.word)')" }.joined(separator: ", ")
                + ", restricted content " + (campaign.map { "campaign \($0.id) does not declare" } ?? "no campaign of this line declares"))
            ways.append("reword it (the words are in \(ContentWords.path)), or declare the category on the line's campaign in parley.yaml "
                + "if the carriers approved it")
        }
        if let signature = content.foreignSignOff(in: input.body) {
            problems.append("signs as '\(signature)', not \(config.businessName)")
            ways.append("sign as \(config.businessName), or add the name to content.sender_names in parley.yaml")
        }
        guard problems.isEmpty else {
            return RuleVerdict(rule: .content, outcome: .failed, facts: problems.joined(separator: "; "), wayOut: ways.joined(separator: "; "))
        }
        let declared = touched.map(\.category.rawValue)
        return passed(.content, declared.isEmpty ? "no public shortener, restricted content or other business's name"
                          : "mentions \(declared.joined(separator: ", ")), which campaign \(campaign?.id ?? "?") declares",
                      basis: declared.isEmpty ? "clean" : "declared \(declared.joined(separator: ",")) (campaign \(campaign?.id ?? "?"))")
    }
}
