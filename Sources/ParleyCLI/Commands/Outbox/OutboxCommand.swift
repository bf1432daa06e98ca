import ArgumentParser
import Foundation
import ParleyCore

struct OutboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox",
        abstract: "Messages not yet (provably) sent: scheduled, being sent, or in doubt.",
        discussion: """
            Examples:
              parley outbox
              parley outbox flush
              parley outbox cancel 01KKH7WS30
              parley outbox reconcile
            """,
        subcommands: [OutboxListCommand.self, OutboxFlushCommand.self, OutboxCancelCommand.self, OutboxReconcileCommand.self],
        defaultSubcommand: OutboxListCommand.self
    )
}

struct OutboxListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the outbox.",
        discussion: """
            Example:
              parley outbox list --json
            """)

    @OptionGroup var repository: RepositoryOptions
    @Flag(help: "Print as JSON.") var json = false

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            let entries = try mailbox.outbox.entries()
            context.output.list(entries, json: json, empty: "The outbox is empty.") { entry in
                let when = entry.notBefore.map { " for \(Timestamp.format($0, in: context.viewerZone))" } ?? ""
                let state = entry.state == .inDoubt ? context.style.paint("IN DOUBT", .red) : entry.state.rawValue
                return ["\(entry.id)  \(state)\(when)  to \(entry.to.formatted)  by \(entry.agent)",
                        "    " + ConversationSummaryPreview.line(entry.body)] + (entry.note.map { ["    note: \($0)"] } ?? [])
            }
        }
    }
}

/// One-line previews of message bodies.
enum ConversationSummaryPreview {
    static func line(_ body: String) -> String {
        let first = body.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return first.count > 70 ? String(first.prefix(69)) + "…" : first
    }
}

struct OutboxFlushCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flush", abstract: "Send every scheduled message that is due, checking every rule again.",
        discussion: """
            A message a rule refuses now stays queued with the reason in its note.

            Example:
              parley outbox flush
            """)

    @OptionGroup var repository: RepositoryOptions

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            let outcomes = try await mailbox.outbox.flush(via: context.gateway(for: mailbox))
            if outcomes.isEmpty { context.output.line("Nothing is due.") }
            var failed = false
            for outcome in outcomes {
                switch outcome.result {
                case .success(let result):
                    context.output.line("Sent \(result.message.id) to \(result.message.to.formatted): \(result.status.rawValue)")
                case .failure(let error):
                    failed = true
                    context.output.error("parley: \(outcome.entry.id) to \(outcome.entry.to.formatted) not sent: \(error)")
                }
            }
            if failed { throw ExitCode(ExitStatus.failure) }
        }
    }
}

struct OutboxCancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel", abstract: "Remove a scheduled message without sending it.",
        discussion: """
            Example:
              parley outbox cancel 01KKH7WS30NDX1Y25YRBF2S20S
            """)

    @OptionGroup var repository: RepositoryOptions
    @Argument(help: "The entry's id (or its first characters).") var id: String

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            let entry = try mailbox.outbox.cancel(id)
            context.output.line("Cancelled \(entry.id) to \(entry.to.formatted)")
        }
    }
}

struct OutboxReconcileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile", abstract: "Settle in-doubt messages by asking the gateway; resend only by decision.",
        discussion: """
            A message is in doubt when the gateway may have sent it but never said so (a
            timeout, or Parley stopped between submission and receipt). Reconcile asks
            the provider (Twilio: looks the message up; Kannel: its delivery report
            settles it when it arrives) and records what it finds. Nothing is sent
            again unless you say so with --resend and a reason.

            Examples:
              parley outbox reconcile
              parley outbox reconcile 01KKH7WS30NDX1Y25YRBF2S20S --resend --reason "Twilio has no record of it"
            """)

    @OptionGroup var repository: RepositoryOptions
    @Argument(help: "The entry to resend (with --resend).") var id: String?
    @Flag(help: "Send the entry again.") var resend = false
    @Option(help: "Why it is resent; recorded in the commit.") var reason: String?

    func validate() throws {
        if resend && (id == nil || (reason ?? "").isEmpty) { throw ValidationError("--resend needs the entry's ID and --reason TEXT") }
        if !resend && id != nil { throw ValidationError("an ID goes with --resend") }
    }

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            let gateway = try context.gateway(for: mailbox)
            if resend, let id, let reason {
                let result = try await mailbox.outbox.resend(id, reason: reason, via: gateway)
                try SendReport(result: result, style: context.style, json: false).print(to: context.output)
                return
            }
            let outcomes = try await mailbox.outbox.reconcile(via: gateway)
            if outcomes.isEmpty { context.output.line("Nothing is in doubt.") }
            for outcome in outcomes {
                switch outcome {
                case .sent(let entry, _): context.output.line("\(entry.id) to \(entry.to.formatted): \(gateway.name) has it; recorded as sent")
                case .notSent(let entry):
                    context.output.line("\(entry.id) to \(entry.to.formatted): never reached \(gateway.name); "
                                        + "resend with 'parley outbox reconcile \(entry.id) --resend --reason TEXT'")
                case .stillInDoubt(let entry, let why): context.output.line("\(entry.id) to \(entry.to.formatted): still in doubt: \(why)")
                }
            }
        }
    }
}
