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
            """,
        subcommands: [OutboxListCommand.self, OutboxFlushCommand.self, OutboxCancelCommand.self],
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

    @Flag(help: "Print as JSON.")
    var json = false

    func run() async throws {
        try await reporting {
            let context = try CommandContext()
            let mailbox = try context.openMailbox(repository)
            let entries = try mailbox.outbox()
            if json {
                context.output.write(JSONOutput.encode(entries))
                return
            }
            if entries.isEmpty { context.output.line("The outbox is empty.") }
            for entry in entries {
                let when = entry.notBefore.map { " for \(Timestamp.format($0, in: context.viewerZone))" } ?? ""
                let state = entry.state == .inDoubt ? context.style.paint("IN DOUBT", .red) : entry.state.rawValue
                context.output.line("\(entry.id)  \(state)\(when)  to \(entry.to.formatted)  by \(entry.agent)")
                context.output.line("    " + ConversationSummaryPreview.line(entry.body))
                if let note = entry.note { context.output.line("    note: \(note)") }
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
        try await reporting {
            let context = try CommandContext()
            let mailbox = try context.openMailbox(repository)
            let outcomes = try await mailbox.flushOutbox(via: context.gateway(for: mailbox))
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

    @Argument(help: "The entry's id (or its first characters).")
    var id: String

    func run() async throws {
        try await reporting {
            let context = try CommandContext()
            let mailbox = try context.openMailbox(repository)
            let entry = try mailbox.cancelOutboxEntry(id)
            context.output.line("Cancelled \(entry.id) to \(entry.to.formatted)")
        }
    }
}
