import ArgumentParser
import ParleyCore

struct TagCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag",
        abstract: "Add tags to a conversation, or remove them.",
        discussion: """
            Examples:
              parley tag +13125550147 billing urgent
              parley tag +13125550147 urgent --remove
            """)

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var customer: CustomerArgument
    @Argument(help: "The tags.") var tags: [String] = []
    @Flag(help: "Remove the tags instead of adding them.") var remove = false

    func validate() throws {
        if tags.isEmpty { throw ValidationError("give at least one tag") }
    }

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            let customer = try customer.number(in: mailbox)
            let list = tags.joined(separator: ", ")
            if remove {
                TriageReport.print(try mailbox.triage.untag(customer, remove: tags), done: "Removed \(list)", same: "Not tagged \(list)",
                    output: context.output)
            } else {
                TriageReport.print(try mailbox.triage.tag(customer, add: tags), done: "Tagged \(list)", same: "Already tagged \(list)",
                    output: context.output)
            }
        }
    }
}
