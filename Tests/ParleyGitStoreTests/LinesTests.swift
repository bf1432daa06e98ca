import Foundation
@testable import ParleyCore
import ParleyIndex
import ParleyTestSupport
import Testing

/// Several lines, one customer: the sticky sender, the line a first text
/// takes by its use case, opt-outs across lines, permanent carrier errors,
/// lines that pause themselves, and the content and frequency rules.
@Suite struct LinesTests {
    static let frontDesk = try! PhoneNumber.parse("+13125550100")
    static let events = try! PhoneNumber.parse("+13125550188")
    /// Miami: Florida allows three texts a day on one subject.
    static let miami = try! PhoneNumber.parse("+13055550142")
    static let welcome = "Hi, this is Bright Smile Dental. Reply STOP to opt out. - Bright Smile Dental"

    static let twoLines = """
        lines:
          - name: front-desk
            number: "+13125550100"
            campaign: CAPPT01
            use_cases: [appointments, support]
          - name: events
            number: "+13125550188"
            campaign: CEVNT01
            use_cases: [events]
        """

    static func yaml(_ extra: String = "", lines: String = twoLines) -> String {
        """
        format: 2
        business:
          name: Bright Smile Dental
          number: "+13125550100"
        timezone: America/Chicago
        campaigns:
          - id: CAPPT01
            use_case: CUSTOMER_CARE
          - id: CEVNT01
            content: [alcohol]
        agents:
          - handle: dana
            name: Dana Ruiz
        \(lines)
        deliverability:
          pause_window: 4
          pause_share: 50%
        \(extra)
        """
    }

    static func config(_ extra: String = "") throws -> MailboxConfig {
        try MailboxConfig.parse(Data(yaml(extra).utf8))
    }

    func mailbox(_ config: MailboxConfig, store: InMemoryStore, at time: Date = Fixtures.monday) throws -> Mailbox {
        if try store.snapshot().read(MailboxLayout.configFile) == nil {
            var files = DefaultSkeleton.mailboxFiles
            files[MailboxLayout.configFile] = Data(Self.yaml().utf8)
            _ = try store.commit { _ in StoreChange(files: files, message: "init", author: Fixtures.agent, time: time) }
        }
        return Mailbox(store: store, config: config, clock: ParleyClock(fixed: time), agent: Fixtures.agent)
    }

    func grant(_ number: PhoneNumber, _ mailbox: Mailbox) throws {
        _ = try mailbox.consent.grant(number, name: nil, disclosure: "I agree to texts.", purpose: "reminders", method: .webForm, source: nil)
    }

    func refusal(_ mailbox: Mailbox, to number: PhoneNumber = Fixtures.sarah, _ outgoing: OutgoingMessage) async throws -> (ComplianceRule?, String) {
        do {
            _ = try await mailbox.sending.send(to: number, outgoing, via: ScriptedGateway())
            return (nil, "")
        } catch {
            guard case .refused(let text) = error else { return (nil, "\(error)") }
            let rule = ComplianceRule.allCases.first { text.hasPrefix("refused by \($0.rawValue):") }
            return (rule, text)
        }
    }

    @Test func badLinesAreRefusedWithTheirLine() throws {
        func problem(_ lines: String) -> String {
            do {
                _ = try MailboxConfig.parse(Data(Self.yaml(lines: lines).utf8))
                return "parsed"
            } catch {
                return "\(error)"
            }
        }
        #expect(problem("") == "parsed")
        let base = "lines:\n  - name: a\n    number: \"+13125550100\""
        #expect(problem(base + "\n  - name: b\n    number: \"3125550101\"").contains("parley.yaml:"))
        #expect(problem(base + "\n  - name: b\n    number: \"3125550101\"").contains("line b: '3125550101' is not an E.164 number"))
        #expect(problem(base + "\n  - name: b\n    number: \"+13125550100\"").contains("line b: +13125550100 is already line a's number"))
        #expect(problem(base + "\n    campaign: NOPE").contains("campaign 'NOPE' is not in 'campaigns:'"))
        #expect(problem(base + "\n    use_cases: [parking]").contains("'parking' is not one of the use cases"))
        #expect(throws: ParleyError.self) { try Self.config("  carrier_errors:\n    nexmo:\n      \"1\": filtered") }
        do {
            _ = try Self.config("  carrier_errors:\n    nexmo:\n      \"1\": filtered")
        } catch {
            #expect("\(error)".contains("parley.yaml:"))
            #expect("\(error)".contains("carrier_errors: unknown provider 'nexmo'"))
        }
        #expect(throws: ParleyError.self) { try Self.config("  carrier_errors:\n    twilio:\n      \"30099\": lost") }
    }

    @Test func aReplyGoesFromTheLineTheCustomerLastUsed() async throws {
        let store = InMemoryStore()
        let mailbox = try mailbox(try Self.config(), store: store)
        #expect(try mailbox.lines.named("events").number == Self.events)
        #expect(throws: ParleyError.self) { try mailbox.lines.named("sales") }
        _ = try await mailbox.inbound.receive(from: Fixtures.sarah, to: Self.events, body: "Is the open house on Friday?", gateway: "sandbox")
        let gateway = ScriptedGateway()
        let reply = try await mailbox.sending.send(to: Fixtures.sarah, OutgoingMessage(body: "Yes, 5 pm. Reply STOP to opt out. - Bright Smile Dental"), via: gateway)
        #expect(reply.message.from == Self.events)
        #expect(gateway.submissions.last?.from == Self.events)
        #expect(reply.line?.name == "events")
        // --line names another; a first text takes the line of its template's use case.
        var other = OutgoingMessage(body: "Your cleaning is Tuesday. - Bright Smile Dental")
        other.line = try mailbox.lines.named("front-desk")
        #expect(try await mailbox.sending.send(to: Fixtures.sarah, other, via: gateway).message.from == Self.frontDesk)
        try grant(Fixtures.tom, mailbox)
        var invitation = OutgoingMessage(body: "Bright Smile Dental: open house Friday. Reply STOP to opt out.")
        invitation.template = MessageTemplate.reference(name: "invite", blobID: nil)
        #expect(try mailbox.lines.choose(for: Fixtures.tom, requested: nil, useCase: "events").number == Self.events)
        #expect(try mailbox.lines.choose(for: Fixtures.tom, requested: nil, useCase: "appointments").number == Self.frontDesk)
        #expect(try mailbox.lines.choose(for: Fixtures.tom, requested: nil, useCase: nil).number == Self.frontDesk)
    }

    @Test func aStopOnOneLineStopsEveryLine() async throws {
        let store = InMemoryStore()
        let mailbox = try mailbox(try Self.config(), store: store)
        try grant(Fixtures.sarah, mailbox)
        let stop = try await mailbox.inbound.receive(from: Fixtures.sarah, to: Self.events, body: "STOP", gateway: "sandbox")
        #expect(stop.consentChange?.line == Self.events)
        var fromFrontDesk = OutgoingMessage(body: "Your cleaning is Tuesday. - Bright Smile Dental")
        fromFrontDesk.line = try mailbox.lines.named("front-desk")
        #expect(try await refusal(mailbox, fromFrontDesk).0 == .consent)
        let stored = try #require(try Conversation.load(Fixtures.sarah, from: store.snapshot())?.consentEvents.last)
        #expect(stored.line == Self.events)
    }

    @Test func aPermanentCarrierErrorMarksTheNumberUntilAPersonClearsIt() async throws {
        let store = InMemoryStore()
        var config = try Self.config()
        // The scripted gateway answers with Twilio's codes.
        config.deliverability.carrierErrors.tables["scripted"] = CarrierErrors.builtIn["twilio"]
        let mailbox = try mailbox(config, store: store)
        try grant(Fixtures.sarah, mailbox)
        let refusing = ScriptedGateway(answers: [.failure(.rejected(code: "30005", message: "Unknown destination handset", raw: nil))])
        let sent = try await mailbox.sending.send(to: Fixtures.sarah, OutgoingMessage(body: Self.welcome), via: refusing)
        #expect(sent.rejection != nil)
        let (rule, text) = try await refusal(mailbox, OutgoingMessage(body: "Are you there? - Bright Smile Dental"))
        #expect(rule == .reachable)
        #expect(text.contains("+13125550147 cannot receive texts: scripted error 30005: the number does not exist or is not in service"))
        #expect(text.contains("parley contact reachable +13125550147 --reason TEXT"))
        _ = try mailbox.triage.markReachable(Fixtures.sarah, reason: "ported to a mobile carrier")
        #expect(try await refusal(mailbox, OutgoingMessage(body: "Are you there? - Bright Smile Dental")).0 == nil)
    }

    @Test func aLineWhoseSendsFailPausesItselfUntilResumed() async throws {
        let store = InMemoryStore()
        var config = try Self.config()
        config.deliverability.carrierErrors.tables["scripted"] = ["30007": .filtered]
        let mailbox = try mailbox(config, store: store)
        let numbers = try (0..<4).map { try PhoneNumber.parse("+1312555020\($0)") }
        for number in numbers { try grant(number, mailbox) }
        let filtered: Result<SubmissionReceipt, GatewayError> = .failure(.rejected(code: "30007", message: "Carrier violation", raw: nil))
        let gateway = ScriptedGateway(answers: [.success(SubmissionReceipt(gatewayID: "G1", status: .queued, raw: "{}")), filtered,
                                                .success(SubmissionReceipt(gatewayID: "G3", status: .queued, raw: "{}")), filtered])
        var last: SendResult?
        for number in numbers { last = try await mailbox.sending.send(to: number, OutgoingMessage(body: Self.welcome), via: gateway) }
        let pause = try #require(last?.linePause)
        #expect(pause.reason.hasPrefix("2 of its last 4 sends failed (2 filtered by carriers); errors 30007; the threshold is 50%"))
        #expect(pause.by == Agent.systemHandle)
        let (rule, text) = try await refusal(mailbox, to: numbers[0], OutgoingMessage(body: "Your cleaning is Tuesday. - Bright Smile Dental"))
        #expect(rule == .line)
        #expect(text.contains("parley line resume front-desk --reason TEXT"))
        #expect(throws: ParleyError.self) { try mailbox.lines.resume(try mailbox.lines.named("front-desk"), reason: "  ") }
        #expect(try mailbox.lines.resume(try mailbox.lines.named("front-desk"), reason: "removed the link") != nil)
        #expect(try await refusal(mailbox, to: numbers[0], OutgoingMessage(body: "Your cleaning is Tuesday. - Bright Smile Dental")).0 == nil)
        // The sends before the resumption no longer count.
        #expect(try mailbox.deliverability.review(try mailbox.lines.named("front-desk")) == nil)
    }

    @Test func floridaAllowsThreeTextsADayOnOneSubject() async throws {
        let store = InMemoryStore()
        let mailbox = try mailbox(try Self.config(), store: store)
        try grant(Self.miami, mailbox)
        for hour in 0..<3 {
            let later = try self.mailbox(try Self.config(), store: store, at: Fixtures.monday.addingTimeInterval(Double(hour) * 3600))
            _ = try await later.sending.send(to: Self.miami, OutgoingMessage(body: hour == 0 ? Self.welcome : "Reminder \(hour). - Bright Smile Dental"),
                                             via: ScriptedGateway())
        }
        let fourth = try self.mailbox(try Self.config(), store: store, at: Fixtures.monday.addingTimeInterval(4 * 3600))
        let (rule, text) = try await refusal(fourth, to: Self.miami, OutgoingMessage(body: "One more thing. - Bright Smile Dental"))
        #expect(rule == .frequency)
        #expect(text.contains("3 texts to +13055550142 on no use case in the last 24 h; FL allows 3"))
        #expect(text.contains("the next allowed time is 2026-03-10T10:00:00-05:00; queue it with --at 2026-03-10T10:00:00-05:00"))
        // Another subject is another count; a day later the first text has left the window.
        _ = try fourth.triage.setUseCase(Self.miami, to: "support")
        #expect(try await refusal(fourth, to: Self.miami, OutgoingMessage(body: "About your bill. - Bright Smile Dental")).0 == nil)
        let audit = try Auditor.audit(fourth, since: nil, until: nil)
        #expect(!audit.findings.contains { $0.rule == .gate(.frequency) })
    }

    @Test func contentTheCarriersFilterIsRefusedUnlessTheCampaignDeclaresIt() async throws {
        let store = InMemoryStore()
        let mailbox = try mailbox(try Self.config("content:\n  branded_domains: [bsd.link]\n  sender_names: [Bright Smile]"), store: store)
        try grant(Fixtures.sarah, mailbox)
        _ = try await mailbox.sending.send(to: Fixtures.sarah, OutgoingMessage(body: Self.welcome), via: ScriptedGateway())
        let wine = "Wine and cheese at our open house! - Bright Smile Dental"
        let (rule, text) = try await refusal(mailbox, OutgoingMessage(body: wine))
        #expect(rule == .content)
        #expect(text.contains("mentions alcohol ('wine'), restricted content campaign CAPPT01 does not declare"))
        var fromEvents = OutgoingMessage(body: wine)
        fromEvents.line = try mailbox.lines.named("events")
        let allowed = try mailbox.sending.check(Fixtures.sarah, fromEvents).first { $0.rule == .content }
        #expect(allowed?.outcome == .passed)
        #expect(allowed?.basis == "declared alcohol (campaign CEVNT01)")
        #expect(try await refusal(mailbox, OutgoingMessage(body: "Book at bsd.link/book - Bright Smile")).0 == nil)
        let signed = try await refusal(mailbox, OutgoingMessage(body: "Your cleaning is booked. - Acme Dental"))
        #expect(signed.0 == .content)
        #expect(signed.1.contains("signs as 'Acme Dental', not Bright Smile Dental"))
        #expect(try await refusal(mailbox, OutgoingMessage(body: "Thanks - Dana")).0 == nil)
        #expect(try await refusal(mailbox, OutgoingMessage(body: "Your visit is 3 - 4 pm.")).0 == nil)
    }
}
