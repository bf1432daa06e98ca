import Foundation

/// Decides whether one message may leave the machine now, checking every
/// rule in order (docs/COMPLIANCE.md): consent, opt-out, review, quiet hours in
/// the recipient's local time, first-contact identification, the tone
/// guide and the segment limit. Every input is passed in—the clock's time
/// included—so a verdict can be reproduced from the repository alone.
public struct ComplianceGate: Sendable {
    public struct Input: Sendable {
        public let number: PhoneNumber
        public let body: String
        public let time: Date
        public let contact: Contact?
        public let consent: ConsentState
        /// Times of the conversation's messages, to tell a first contact and a customer who texted first.
        public let lastInboundAt: Date?
        /// The customer's latest message, which opens the reply window.
        public let lastInboundID: String?
        public let hasOutbound: Bool
        /// Rules to override, each with the reason a person gave.
        public let overrides: [ComplianceRule: String]
        /// The line it goes from; nil: the mailbox's default line.
        public var line: SenderLine?
        /// Why the line is paused, when it is.
        public var linePause: String?
        /// Set when a carrier said the number can never receive a text.
        public var unreachable: ConversationState.Unreachable?
        /// The conversation's use case, which state frequency laws take as the subject.
        public var subject: String?
        /// The earlier texts to the number, each with its subject.
        public var earlierSends: [FrequencyLimit.Send] = []

        public init(number: PhoneNumber, body: String, time: Date, contact: Contact?, consent: ConsentState,
                    lastInboundAt: Date?, lastInboundID: String? = nil, hasOutbound: Bool, overrides: [ComplianceRule: String] = [:]) {
            self.lastInboundID = lastInboundID
            self.number = number
            self.body = body
            self.time = time
            self.contact = contact
            self.consent = consent
            self.lastInboundAt = lastInboundAt
            self.hasOutbound = hasOutbound
            self.overrides = overrides
        }
    }

    /// The hard ceiling whatever the tone guide says (Twilio refuses 1,600+ characters).
    public static let maximumSegments = 10

    public let config: MailboxConfig
    public let toneGuide: ToneGuide
    /// The carriers' content rules with the mailbox's word list and link domains.
    public let content: ContentCheck
    /// Looked up once: a zone lookup goes through ICU, and an audit replays every send.
    let businessZone: TimeZone
    /// Whether verdicts carry what only a sender reads: the trailers' basis, the next allowed time and
    /// the way out, and the details of a rule that passed. A replay reads only what failed, and why.
    private(set) var explaining = true

    /// Times in facts are shown in the business's zone, as people there read them.
    func local(_ date: Date) -> String {
        Timestamp.format(date, in: businessZone)
    }

    public init(config: MailboxConfig, toneGuide: ToneGuide, contentWords: ContentWords = .defaults) {
        self.config = config
        self.toneGuide = toneGuide
        content = ContentCheck(config: config, toneGuide: toneGuide, words: contentWords)
        businessZone = TimeZone(identifier: config.timeZone) ?? TimeZone(identifier: "UTC")!
    }

    /// The gate of the mailbox as `snapshot` holds it: its tone guide and
    /// content words, or the defaults where a mailbox has none.
    public static func reading(_ snapshot: any StoreSnapshot, config: MailboxConfig) throws(ParleyError) -> ComplianceGate {
        ComplianceGate(
            config: config,
            toneGuide: try snapshot.read(MailboxLayout.toneGuide).map { data throws(ParleyError) in try ToneGuide.parse(data) } ?? ToneGuide(),
            contentWords: try snapshot.read(ContentWords.path).map { data throws(ParleyError) in try ContentWords.parse(data) } ?? .defaults)
    }

    /// Every rule's verdict for sending now (`parley send`, `--dry-run`).
    public func evaluate(_ input: Input) -> [RuleVerdict] {
        overriding([
            RuleVerdict(rule: .number, outcome: .passed, facts: "\(input.number.e164) is a valid E.164 number"),
            consent(input), optOut(input), reachable(input), review(input), line(input), quietHours(input), frequency(input),
            firstContact(input), tone(input), content(input), segments(input),
        ], input)
    }

    /// The rules a past send can be judged by from the records alone: the
    /// tone guide and segment limit of that day are not in the records
    /// branch, a stored number is valid by construction, and a line's pause
    /// depends on receipts that arrived after the send. The content rule
    /// judges every text with today's word list, shorteners and link domains.
    public static let replayedRules: [ComplianceRule] = [.consent, .optOut, .reachable, .review, .quietHours, .frequency, .firstContact, .content]

    /// The verdicts of `replayedRules` for a send already made (`parley
    /// audit`): the same rules, on the state as it was at `input.time`,
    /// without looking for the next allowed time, which only a sender needs.
    public func replay(_ input: Input) -> [RuleVerdict] {
        var replaying = self
        replaying.explaining = false
        return replaying.overriding([replaying.consent(input), replaying.optOut(input), replaying.reachable(input), replaying.review(input),
                                     replaying.quietHours(input), replaying.frequency(input), replaying.firstContact(input),
                                     replaying.content(input)], input)
    }

    /// A failed rule with an override the mailbox allows becomes overridden.
    private func overriding(_ raw: [RuleVerdict], _ input: Input) -> [RuleVerdict] {
        raw.map { verdict in
            guard verdict.outcome == .failed, let reason = input.overrides[verdict.rule], config.compliance.overridable.contains(verdict.rule),
                  !(verdict.rule == .segments && SegmentCount(input.body).segments > Self.maximumSegments) else {
                return verdict
            }
            return RuleVerdict(rule: verdict.rule, outcome: .overridden, facts: verdict.facts + " — overridden: \(reason)",
                               warnings: verdict.warnings, basis: verdict.basis)
        }
    }

    /// A rule that passed, with its details; a replay, which reads only what failed, skips building them.
    func passed(_ rule: ComplianceRule, _ facts: @autoclosure () -> String, basis: @autoclosure () -> String? = nil) -> RuleVerdict {
        explaining ? RuleVerdict(rule: rule, outcome: .passed, facts: facts(), basis: basis()) : RuleVerdict(rule: rule, outcome: .passed, facts: "")
    }

    /// The zone, state, local time and window quiet hours were judged by.
    static func quietHoursBasis(_ time: Date, _ location: QuietHours.Location) -> String {
        let rule = QuietHours.rule(for: location.state)
        let zones = location.zones.map { "\($0.identifier) \(Timestamp.format(time, in: $0))" }.joined(separator: ", ")
        let window = location.conservativeWindow.map { " window \($0.text)" } ?? ""
        return "\(zones); state \(location.state ?? "unknown"); rule \(rule.name)\(window); from \(location.source.rawValue)"
    }

    /// The first failed rule, nil when the message may go.
    public static func refusal(in verdicts: [RuleVerdict]) -> RuleVerdict? {
        verdicts.first { $0.outcome == .failed }
    }

    private func consent(_ input: Input) -> RuleVerdict {
        let number = input.number.e164
        switch input.consent.status {
        case .granted:
            let grant = input.consent.grant
            return passed(.consent, "consent on record for \(number)"
                              + (grant.map { " (\([$0.method?.rawValue, local($0.time)].compactMap { $0 }.joined(separator: ", ")))" } ?? ""),
                          basis: grant.map { "record " + MailboxLayout.consentPath(input.number, time: $0.time, id: $0.id) })
        case .optedOut:
            return RuleVerdict(rule: .consent, outcome: .failed, facts: "\(number) opted out; consent no longer applies",
                               wayOut: "only the customer can opt back in, by texting START")
        case .none, .revoked:
            let window = config.compliance.replyWindowHours
            if let inbound = input.lastInboundAt, window > 0, input.time.timeIntervalSince(inbound) <= Double(window) * 3600,
               input.consent.status == .none {
                return passed(.consent, "no consent record, but \(number) texted us at \(local(inbound)): replying within \(window) h is allowed "
                                  + "(compliance.reply_window_hours)",
                              basis: "reply-window \(window)h after inbound \(input.lastInboundID ?? "?") at \(Timestamp.format(inbound))")
            }
            var what = input.consent.status == .revoked ? "consent for \(number) was revoked" : "no consent on record for \(number)"
            if let inbound = input.lastInboundAt, window > 0, input.consent.status == .none {
                let closed = inbound.addingTimeInterval(Double(window) * 3600)
                what += "; the \(window) h reply window opened by their message of \(local(inbound)) closed at \(local(closed))"
            }
            return RuleVerdict(rule: .consent, outcome: .failed, facts: what,
                               wayOut: "record the customer's consent first: parley consent grant \(number) --disclosure TEXT --purpose TEXT "
                                   + "--method web_form|paper|verbal")
        }
    }

    private func optOut(_ input: Input) -> RuleVerdict {
        guard input.consent.status == .optedOut else {
            return passed(.optOut, "\(input.number.e164) has not opted out")
        }
        let since = input.consent.optedOutAt.map { " on \(local($0))" } ?? ""
        return RuleVerdict(rule: .optOut, outcome: .failed, facts: "\(input.number.e164) opted out\(since)",
                           wayOut: "nothing may be sent until the customer texts START")
    }

    private func review(_ input: Input) -> RuleVerdict {
        guard input.consent.underReview else {
            return passed(.review, "no reply from \(input.number.e164) is waiting for review")
        }
        let since = input.consent.reviewOpenedAt.map { " since \(local($0))" } ?? ""
        return RuleVerdict(rule: .review, outcome: .failed,
                           facts: "a reply from \(input.number.e164) may be a request to stop and is waiting for review\(since)",
                           wayOut: "decide it: parley review resolve \(input.number.e164) --opt-out (they asked to stop) or --keep (they did not)")
    }

    private func quietHours(_ input: Input) -> RuleVerdict {
        let location = QuietHours.Location.of(input.number, contact: input.contact, businessZone: businessZone)
        let verdict = QuietHours.evaluate(input.number, at: input.time, location: location, findingNextAllowed: explaining)
        guard !verdict.allowed else { return passed(.quietHours, verdict.facts, basis: Self.quietHoursBasis(input.time, location)) }
        guard explaining else { return RuleVerdict(rule: .quietHours, outcome: .failed, facts: verdict.facts) }
        let basis = Self.quietHoursBasis(input.time, location)
        let next: String
        if let time = verdict.nextAllowed {
            let theirs = location.zones[0]
            let business = businessZone
            let forBusiness = business.secondsFromGMT(for: time) == theirs.secondsFromGMT(for: time) && business.identifier == theirs.identifier
                ? "" : " (\(Timestamp.format(time, in: business)) in \(business.identifier), the business's zone)"
            next = "the next allowed time is \(Timestamp.format(time, in: theirs)) in \(theirs.identifier)\(forBusiness); queue it with "
                + "--next-allowed"
        } else {
            next = "no time in the next eight days is allowed in every zone \(input.number.e164) may be in; "
                + "record the customer's zone (parley contact add \(input.number.e164) --timezone ZONE)"
        }
        return RuleVerdict(rule: .quietHours, outcome: .failed, facts: verdict.facts,
                           wayOut: next + (config.compliance.overridable.contains(.quietHours) ? ", or --override quiet_hours --reason TEXT" : ""),
                           basis: basis)
    }

    private func firstContact(_ input: Input) -> RuleVerdict {
        guard !input.hasOutbound else {
            return passed(.firstContact, "not the first message to \(input.number.e164)", basis: "no")
        }
        let namesBusiness = input.body.lowercased().contains(config.businessName.lowercased())
        let saysHowToStop = Self.givesOptOutInstruction(input.body)
        if namesBusiness && saysHowToStop {
            return RuleVerdict(rule: .firstContact, outcome: .passed, facts: "first message names \(config.businessName) and says how to opt out",
                               basis: "yes, names the business and says how to opt out")
        }
        var missing: [String] = []
        if !namesBusiness { missing.append("the business name (\(config.businessName))") }
        if !saysHowToStop { missing.append("how to opt out (\"Reply STOP to opt out\")") }
        return RuleVerdict(rule: .firstContact, outcome: .failed,
                           facts: "the first message to \(input.number.e164) must include \(missing.joined(separator: " and "))",
                           wayOut: "add them, or start with the welcome template: parley draft \(input.number.e164) --template welcome",
                           basis: "yes, lacks \(missing.map { $0.components(separatedBy: " (").first! }.joined(separator: " and "))")
    }

    /// Verbs that tell the customer what to send back.
    static let instructionVerbs: Set<String> = ["reply", "text", "txt", "send", "respond", "message", "msg", "sms"]
    /// Words allowed between the verb and the keyword: "reply with STOP", "text back END".
    static let instructionFillers: Set<String> = ["with", "back", "us", "the", "word", "just", "a"]

    /// Whether the text tells the customer to send an opt-out keyword
    /// ("Reply STOP to opt out", "text the word END", "to unsubscribe, reply
    /// STOP", "Reply HELP for help, STOP to opt out"): a verb of replying,
    /// then—a few filler words allowed—the keyword itself; or, after such a
    /// verb, the keyword followed by "to" and what it does. "We stop to
    /// refuel" names no such instruction.
    static func givesOptOutInstruction(_ body: String) -> Bool {
        let words = KeywordClassifier.normalizedText(body).split(separator: " ").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "'")) }
        for (index, word) in words.enumerated() where instructionVerbs.contains(word) {
            var next = index + 1
            while next < words.count, next - index <= 3, instructionFillers.contains(words[next]) { next += 1 }
            if next < words.count, KeywordClassifier.optOutKeywords.contains(words[next].uppercased()) { return true }
            for later in (index + 1)..<max(index + 1, words.count - 2)
            where KeywordClassifier.optOutKeywords.contains(words[later].uppercased()) && words[later + 1] == "to"
                && ["opt", "optout", "unsubscribe", "end", "cancel", "stop", "quit"].contains(words[later + 2]) {
                return true
            }
        }
        return false
    }

    private func tone(_ input: Input) -> RuleVerdict {
        let findings = Linter(guide: toneGuide, config: config).lint(input.body).filter { !["segments", "link-shortener"].contains($0.rule) }
        let errors = findings.filter { $0.level == .error }
        let warnings = findings.filter { $0.level == .warning }.map(\.description)
        guard !errors.isEmpty else {
            return RuleVerdict(rule: .tone, outcome: .passed,
                facts: warnings.isEmpty ? "no tone-guide findings" : "\(warnings.count) tone-guide warning(s)", warnings: warnings)
        }
        return RuleVerdict(rule: .tone, outcome: .failed, facts: errors.map(\.description).joined(separator: "; "),
                           wayOut: "rewrite it (parley lint shows every finding)",
                           warnings: warnings)
    }

    private func segments(_ input: Input) -> RuleVerdict {
        let count = SegmentCount(input.body)
        let limit = min(toneGuide.maxSegments ?? Self.maximumSegments, Self.maximumSegments)
        let basis = "\(count.segments) \(count.encoding.rawValue) (\(count.units) units), limit \(limit)"
        var facts = "\(count.segments) segment\(count.segments == 1 ? "" : "s") (\(count.encoding.rawValue), \(count.units) units); the limit is "
            + "\(limit)"
        guard count.segments > limit else { return RuleVerdict(rule: .segments, outcome: .passed, facts: facts, basis: basis) }
        // An override lifts the tone guide's limit, never the absolute cap.
        if count.segments > Self.maximumSegments { facts += "; no override goes past the absolute cap of \(Self.maximumSegments)" }
        let hint = count.encoding == .ucs2 && SegmentCount(SmartASCII.apply(input.body)).encoding == .gsm7 ? "; --smart-ascii makes it GSM-7" : ""
        return RuleVerdict(rule: .segments, outcome: .failed, facts: facts, wayOut: "shorten it\(hint)", basis: basis)
    }
}
