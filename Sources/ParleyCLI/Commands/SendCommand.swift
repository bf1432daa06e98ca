import ArgumentParser
import Foundation
import ParleyCore
import ParleyRendering

struct SendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Send a message through the compliance gate and commit it with the gateway's receipt.",
        discussion: """
            Every rule is checked first: consent, opt-out, review, quiet hours in the
            recipient's time, first-contact identification, the tone guide, the segment
            limit. A refusal exits with status 3 and says which rule, the facts and the
            way out; nothing is sent or written.

            Examples:
              parley send "(312) 555-0147" --body "Hi Sarah, your crown is ready. - Bright Smile Dental"
              parley send +13125550147 --template appointment-reminder --set date="Thursday 12 March" --set time="3:30 pm"
              parley send +13125550147 --draft
              parley send +13125550147 --body "…" --dry-run
              PARLEY_NOW=2026-03-08T20:30:00-05:00 parley send +13125550147 --body "…" --dry-run
              parley send +13125550147 --body "…" --next-allowed
              parley send +13125550147 --body "…" --at 2026-03-10T09:00:00-05:00
              parley send +13125550147 --body "…" --override quiet_hours --reason "Patient asked for a text tonight"
              parley send +13125550147 --body "Your X-ray, as promised. - Bright Smile Dental" --media xray.jpg
              parley send +13125550147 --template welcome --line events

            A text goes from the line the customer last wrote to (or last got a text
            from); a first text from the line whose use_cases include the template's use
            case; --line names another. A paused line refuses (parley line list).

            --media sends a picture or file with the text (MMS, up to 10, 5 MB each). The
            file is committed in the conversation's media/ folder before the provider is
            asked to fetch it from parley serve's signed /media/ link (gateway.public_base_url
            and PARLEY_MEDIA_LINK_SECRET); the sandbox takes media offline.
            """)

    @OptionGroup var repository: RepositoryOptions
    @Argument(help: "The recipient's number.") var number: String
    @OptionGroup var compose: ComposeOptions
    @Flag(help: "Send your draft for this number (see 'parley draft'); it is removed in the same commit.") var draft = false
    @OptionGroup var override: OverrideOptions
    @Flag(help: "Show every rule's verdict without sending.") var dryRun = false

    @Option(help: ArgumentHelp("Queue it in the outbox for this time (ISO 8601 with offset); 'parley outbox flush' sends it.", valueName: "time"))
    var at: ExactTime?

    @Flag(help: "Queue it in the outbox for the next time quiet hours allow.") var nextAllowed = false
    @Option(help: ArgumentHelp("A picture or file to send with the text (repeatable).", valueName: "file")) var media: [String] = []
    @Option(help: ArgumentHelp("The line to send from, by name or number (default: the line the customer last used).", valueName: "line"))
    var line: String?
    @Flag(help: "Print the result as JSON.") var json = false

    func validate() throws {
        try compose.validateComposition(allowDraft: draft)
        if !media.isEmpty && (at != nil || nextAllowed) { throw ValidationError("--media is sent now; it cannot be scheduled yet") }
        if at != nil && nextAllowed { throw ValidationError("--at and --next-allowed exclude each other") }
    }

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            let recipient = try mailbox.parseNumber(number)
            var outgoing = OutgoingMessage(body: "", overrides: try override.overrides(mailbox))
            if draft {
                let saved = try mailbox.templates.draftForSending(recipient)
                outgoing.body = compose.smartAscii ? SmartASCII.apply(saved.body) : saved.body
                outgoing.fromDraft = true
                outgoing.template = saved.template.map { MessageTemplate.reference(name: $0, blobID: saved.templateBlob) }
            } else {
                (outgoing.body, outgoing.template) = try compose.compose(for: recipient, in: mailbox)
            }
            outgoing.media = try media.map { path throws(ParleyError) in try OutgoingMedia.load(path) }
            outgoing.line = try mailbox.lines.choose(for: recipient, requested: line, useCase: outgoing.template?.useCase)

            if dryRun {
                let when = at?.date
                let verdicts = try mailbox.sending.check(recipient, outgoing, at: when)
                try VerdictReport(verdicts: verdicts, segments: SegmentCount(outgoing.body), style: context.style,
                    json: json).print(to: context.output)
                return
            }
            if at != nil || nextAllowed {
                let time = try at?.date ?? mailbox.outbox.nextAllowedTime(for: recipient)
                let entry = try mailbox.outbox.schedule(to: recipient, outgoing, at: time)
                if json {
                    context.output.write(JSONOutput.encode(entry))
                } else {
                    context.output.line("Queued \(entry.id) to \(recipient.formatted) for \(Timestamp.format(time, in: context.viewerZone))")
                    context.output.line("Next: 'parley outbox' lists it; 'parley outbox flush' sends what is due (rules are checked again then)")
                }
                return
            }
            let gateway = try context.gateway(for: mailbox, line: outgoing.line)
            let result = try await mailbox.sending.send(to: recipient, outgoing, via: gateway)
            for verdict in result.verdicts { for warning in verdict.warnings { context.output.error("parley: warning: \(warning)") } }
            try SendReport(result: result, style: context.style, json: json).print(to: context.output)
        }
    }
}

/// Prints what a send did, and fails with the gateway's status when it refused.
struct SendReport {
    let result: SendResult
    let style: TextStyle
    let json: Bool

    struct JSONShape: Encodable {
        let id, to: String
        let line: String?
        let status: DeliveryStatus
        let gateway: String
        let gatewayID: String?
        let segments: Int
        let encoding: String
        let template: String?
        let overrides: [String]
        let commit, error: String?
    }

    func print(to output: Output) throws {
        let message = result.message
        if json {
            output.write(JSONOutput.encode(JSONShape(
                id: message.id, to: message.to.e164, line: result.line?.name, status: result.status, gateway: message.gateway, gatewayID: message.gatewayID,
                segments: result.segments.segments, encoding: result.segments.encoding.rawValue, template: message.template,
                overrides: message.overrides.map(\.description), commit: result.commit?.id, error: result.rejection?.description)))
        } else {
            let verb = result.rejection == nil ? "Sent" : "Not sent"
            output.line("\(style.paint(verb, .bold)) \(message.id) to \(message.to.formatted)")
            output.line("  status    \(result.status.rawValue) (\(message.gateway)\(message.gatewayID.map { " \($0)" } ?? ""))")
            if let line = result.line { output.line("  line      \(line.label)") }
            output.line("  segments  \(result.segments.segments) (\(result.segments.encoding.rawValue), \(message.body.count) characters)")
            if let template = message.template { output.line("  template  \(template) "
                + "(\(message.templateBlob.map { String($0.prefix(8)) } ?? "?"))") }
            for override in message.overrides { output.line("  override  \(override)") }
            if let commit = result.commit { output.line("  commit    \(commit.shortID)") }
            for path in result.commit?.keptLocalEdits ?? [] {
                output.error("parley: note: \(path) has uncommitted edits in the work tree; they were left as they are")
            }
        }
        if let pause = result.linePause {
            output.error("parley: warning: line \(result.line?.name ?? "?") paused itself: \(pause.reason)")
            output.error("  find the cause (parley report, Deliverability), then: parley line resume \(result.line?.name ?? "LINE") --reason TEXT")
        }
        if let problem = result.recordProblem {
            output.error("parley: warning: \(message.gateway) has the message, but it could not be recorded: \(problem)")
            output.error("  do not send it again: 'parley outbox reconcile' records it from the gateway once the repository is writable")
        }
        if let rejection = result.rejection {
            throw ParleyError.gateway("\(message.gateway) \(rejection); the attempt is recorded in the conversation")
        }
    }
}

/// Prints every rule's verdict (`send --dry-run`).
struct VerdictReport {
    let verdicts: [RuleVerdict]
    let segments: SegmentCount
    let style: TextStyle
    let json: Bool

    struct JSONShape: Encodable {
        let wouldSend: Bool
        let verdicts: [RuleVerdict]
        let segments: SegmentCount
    }

    func print(to output: Output) throws {
        let refusal = ComplianceGate.refusal(in: verdicts)
        if json {
            output.write(JSONOutput.encode(JSONShape(wouldSend: refusal == nil, verdicts: verdicts, segments: segments)))
        } else {
            for verdict in verdicts {
                let mark: String
                switch verdict.outcome {
                case .passed: mark = style.paint("pass    ", .green)
                case .failed: mark = style.paint("REFUSE  ", .red)
                case .overridden: mark = style.paint("override", .yellow)
                }
                output.line("\(mark) \(TextColumns.fit(verdict.rule.rawValue, 13)) \(verdict.facts)")
                if let wayOut = verdict.wayOut, verdict.outcome == .failed { output.line("         \(String(repeating: " ", count: 13)) way out: "
                    + "\(wayOut)") }
                for warning in verdict.warnings { output.line("         \(String(repeating: " ", count: 13)) warning: \(warning)") }
            }
            output.line(refusal == nil ? "Would send (dry run: nothing was sent)." : "Would be refused by \(refusal!.rule.rawValue) (dry run: "
                + "nothing was sent).")
        }
        if refusal != nil { throw ExitCode(ExitStatus.refused) }
    }
}
