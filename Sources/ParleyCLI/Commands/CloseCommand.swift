import ArgumentParser
import ParleyCore

struct CloseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "close",
        abstract: "Close a conversation, with its outcome; a new message from the customer reopens it.",
        discussion: """
            The outcome is one of the conversation's use case's outcomes (parley.yaml,
            use_cases): reports count them. Closing again with another outcome corrects it.

            Examples:
              parley close +13125550147
              parley close +13125550147 --outcome rescheduled --note "Rebooked for Thursday"
              parley close +13125550147 --use-case sales --outcome won
            """)

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var customer: CustomerArgument
    @Option(help: "Why, for the history.") var note: String?
    @Option(help: "What it came to, e.g. confirmed, no-show, won.") var outcome: String?
    @Option(name: .customLong("use-case"), help: "Its use case, when not set yet or to correct it.") var useCase: String?

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            let result = try mailbox.triage.close(customer.number(in: mailbox), note: note, outcome: outcome, useCase: useCase)
            TriageReport.print(result, done: "Closed" + (outcome.map { " as \($0)" } ?? ""), same: "Already closed",
                output: context.output)
        }
    }
}

struct ReopenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reopen",
        abstract: "Reopen a closed conversation.",
        discussion: """
            Example:
              parley reopen +13125550147 --note "Customer called back"
            """)

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var customer: CustomerArgument
    @Option(help: "Why, for the history.") var note: String?

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            TriageReport.print(try mailbox.triage.reopen(customer.number(in: mailbox), note: note), done: "Reopened", same: "Already open",
                output: context.output)
        }
    }
}
