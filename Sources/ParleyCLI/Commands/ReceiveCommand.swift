import ArgumentParser
import Foundation
import ParleyCore

struct ReceiveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receive",
        abstract: "Record an inbound message (for the sandbox, or piped from another system).",
        discussion: """
            The text comes from --body or, without it, from standard input. With --id
            (the gateway's message id) a second delivery of the same message is ignored.
            STOP-words opt the number out and START-words back in, in the same commit;
            a reply like "please stop texting me" holds sends until reviewed. The
            confirmation or HELP answer goes out through the gateway unless
            keywords.replies is false in parley.yaml or --no-reply is given. The
            automations run as in parley serve: an answer to a confirmation is read, and
            a text after hours or a first text may get an automatic reply.

            Examples:
              parley receive --from "(312) 555-0147" --body "Can I come Thursday instead?"
              echo "STOP" | parley receive --from +13125550147 --id SM0123456789abcdef --json
            """)

    @OptionGroup var repository: RepositoryOptions
    @Option(help: "The sender's number.") var from: String
    @Option(help: "The number it was sent to (default: the business number).") var to: String?
    @Option(help: "The message text (default: read standard input).") var body: String?
    @Option(help: "The gateway's id for the message, which makes receiving it idempotent.") var id: String?
    @Option(help: "The gateway it came through.") var gateway: String = "sandbox"
    @Option(help: ArgumentHelp("When it was received, ISO 8601 with offset (default: now).", valueName: "time")) var time: ExactTime?
    @Flag(help: "Do not send the automatic STOP/START/HELP reply, and run no automation.") var noReply = false
    @Flag(help: "Print the result as JSON.") var json = false

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            let sender = try mailbox.parseNumber(from)
            let recipient = try to.map { text throws(ParleyError) in try mailbox.parseNumber(text) }
            let text = try body ?? Self.readStandardInput()
            let replies = noReply ? nil : try context.gateway(for: mailbox)
            let result = try await mailbox.inbound.receive(from: sender, to: recipient, body: text, gateway: gateway, gatewayID: id, time: time?.date,
                replyVia: replies)
            // The text is stored: an automation that cannot run is a warning, never a failure of the receive.
            var automations: [AutomationRun] = []
            if let replies, !result.isDuplicate {
                do { automations = try await mailbox.automations.received(result.message, via: replies) } catch {
                    context.output.error("parley: warning: the automations did not run: \(error)")
                }
            }
            if json {
                context.output.write(JSONOutput.encode(ReceiveJSON(
                    id: result.message.id, from: sender.e164, duplicate: result.isDuplicate, commit: result.commit?.id,
                    keyword: result.keyword?.rawValue, consent: result.consentChange?.kind.rawValue, reply: result.reply?.id,
                    automations: automations.map(\.summary))))
            } else if result.isDuplicate {
                context.output.line("Already stored: message \(result.message.id) from \(sender.formatted); nothing changed")
            } else {
                context.output.line("Received \(result.message.id) from \(sender.formatted) (commit \(result.commit!.shortID))")
                switch result.consentChange?.kind {
                case .optedOut?: context.output.line("  \(sender.formatted) opted out: nothing more will be sent until they text START")
                case .optedIn?: context.output.line("  \(sender.formatted) opted back in")
                case .reviewOpened?:
                    context.output.line("  this reply may ask us to stop: sends are held until "
                                        + "'parley review resolve \(sender.e164) --opt-out|--keep'")
                default: break
                }
                if let reply = result.reply, result.replyProblem == nil { context.output.line("  answered automatically: \(reply.body)") }
                for run in automations { context.output.line("  automation \(run.summary)") }
            }
            if let problem = result.replyProblem { context.output.error("parley: warning: \(problem)") }
        }
    }

    struct ReceiveJSON: Encodable {
        let id, from: String
        let duplicate: Bool
        let commit, keyword, consent, reply: String?
        let automations: [String]
    }

    private static func readStandardInput() throws(ParleyError) -> String {
        guard isatty(STDIN_FILENO) == 0 else {
            throw .invalidInput("no message text: pass --body TEXT or pipe the text on standard input")
        }
        let data = FileHandle.standardInput.readDataToEndOfFile()
        guard var text = String(data: data, encoding: .utf8) else {
            throw .invalidInput("standard input is not UTF-8 text")
        }
        if text.hasSuffix("\n") { text.removeLast() }
        guard !text.isEmpty else { throw .invalidInput("standard input was empty: no message text") }
        return text
    }
}
