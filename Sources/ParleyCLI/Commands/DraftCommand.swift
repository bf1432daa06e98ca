import ArgumentParser
import Foundation
import ParleyCore
import ParleyTUI
import ParleyRendering

struct DraftCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "draft",
        abstract: "Write a draft from a template (or text), optionally in $EDITOR, and preview it.",
        discussion: """
            The draft is committed under drafts/AGENT/NUMBER.md; 'parley send NUMBER --draft'
            sends it and removes it in the same commit. The preview shows the encoding,
            the segment count, tone-guide findings and the send gate's verdict.

            Examples:
              parley draft "(312) 555-0147" --template appointment-reminder --set date="Thursday 12 March" --set time="3:30 pm"
              parley draft +13125550147 --template follow-up --set topic="the quote for your crown" --edit
              parley draft +13125550147 --body "Hi Sarah, …" --smart-ascii
            """)

    @OptionGroup var repository: RepositoryOptions
    @Argument(help: "The recipient's number.") var number: String
    @OptionGroup var compose: ComposeOptions
    @Flag(help: "Open the draft in $EDITOR before saving it.") var edit = false

    func validate() throws {
        try compose.validateComposition(allowDraft: false)
    }

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            let recipient = try mailbox.parseNumber(number)
            let (text, template) = try compose.compose(for: recipient, in: mailbox)
            var draft = Draft(number: recipient, template: template?.name, templateBlob: template?.blobID, created: context.clock.now(), body: text)
            var session: EditorSession?
            if edit {
                let editor = try EditorSession(initialText: draft.fileData(), name: "draft-\(recipient.e164).md")
                let edited = try editor.edit(environment: context.environment)
                do {
                    draft = try Draft.parse(edited, path: MailboxLayout.draftPath(agent: mailbox.agent.handle, number: recipient))
                } catch {
                    throw ParleyError.invalidInput("\(error)\nnothing was saved; your text is kept in \(editor.file.path)")
                }
                session = editor
            }
            if compose.smartAscii { draft.body = SmartASCII.apply(draft.body) }
            let commit = try mailbox.templates.saveDraft(draft)
            session?.discard()
            let hasOutbound = try mailbox.conversations.conversation(orNil: recipient)?.messages.contains(where: { $0.direction == .outbound }) == true
            if let template, template.firstContact == false, !hasOutbound {
                context.output.error("parley: note: this is the first message to \(recipient.e164) and '\(template.name)' is not a first-contact "
                    + "template")
            }
            try Preview(text: draft.body, mailbox: mailbox, number: recipient, style: context.style).print(to: context.output)
            context.output.line("Saved the draft" + (commit.map { " (commit \($0.shortID))" } ?? "") + "; send it with: parley send "
                + "\(recipient.e164) --draft")
        }
    }
}

/// The draft preview: text, encoding, segments, lint findings and the gate's verdict.
struct Preview {
    let text: String
    let mailbox: Mailbox
    let number: PhoneNumber
    let style: TextStyle

    func print(to output: Output) throws {
        let segments = SegmentCount(text)
        output.line(style.paint("To \(number.formatted):", .bold))
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) { output.line("  " + line) }
        var encoding = "\(segments.encoding.rawValue), \(segments.segments) segment\(segments.segments == 1 ? "" : "s"), \(segments.units) "
            + "\(segments.encoding == .gsm7 ? "septets" : "UTF-16 units")"
        if !segments.nonGSMCharacters.isEmpty {
            encoding += "; UCS-2 because of " + segments.nonGSMCharacters.map { "'\($0)'" }.joined(separator: " ")
        }
        output.line(style.paint(encoding, .dim))
        for finding in Linter(guide: try mailbox.templates.toneGuide(), config: mailbox.config).lint(text) {
            output.line((finding.level == .error ? style.paint("error", .red) : style.paint("warning", .yellow)) + " " + finding.description)
        }
        let verdicts = try mailbox.sending.check(number, OutgoingMessage(body: text))
        if let refusal = ComplianceGate.refusal(in: verdicts) {
            output.line(style.paint("would be refused by \(refusal.rule.rawValue): ", .red) + refusal.facts)
            if let wayOut = refusal.wayOut { output.line("  way out: \(wayOut)") }
        } else {
            output.line(style.paint("passes every rule now", .green))
        }
    }
}
