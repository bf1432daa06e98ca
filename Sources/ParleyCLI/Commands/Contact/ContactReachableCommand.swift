import ArgumentParser
import ParleyCore

struct ContactReachableCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reachable",
        abstract: "Clear a number a carrier's permanent error marked unreachable, so texts may go to it again.",
        discussion: """
            A delivery error that means "never again to this number" (unknown number,
            landline, unreachable: docs/GATEWAYS.md) marks the conversation; every send
            is refused until a person clears it here, with why.

            Example:
              parley contact reachable +13125550147 --reason "Customer confirmed by phone the number now takes texts"
            """)

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var customer: CustomerArgument
    @Option(help: "Why texts may go again; recorded in the conversation.") var reason: String

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            TriageReport.print(try mailbox.triage.markReachable(customer.number(in: mailbox), reason: reason),
                               done: "Cleared: texts may go to this number again", same: "Not marked unreachable", output: context.output)
        }
    }
}
