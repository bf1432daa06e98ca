import ArgumentParser
import ParleyCore

struct CloseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "close",
        abstract: "Close a conversation; a new message from the customer reopens it.",
        discussion: """
            Examples:
              parley close +13125550147
              parley close +13125550147 --note "Rebooked for Thursday"
            """)

    @OptionGroup var repository: RepositoryOptions

    @Argument(help: "The customer's number.")
    var number: String

    @Option(help: "Why, for the history.")
    var note: String?

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            TriageReport.print(try mailbox.close(mailbox.parseNumber(number), note: note), done: "Closed", same: "Already closed",
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

    @Argument(help: "The customer's number.")
    var number: String

    @Option(help: "Why, for the history.")
    var note: String?

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            TriageReport.print(try mailbox.reopen(mailbox.parseNumber(number), note: note), done: "Reopened", same: "Already open",
                output: context.output)
        }
    }
}
