import ArgumentParser
import ParleyCore

struct ConsentRevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Record that a customer withdrew consent (by phone, email, in person).",
        discussion: """
            Opt-outs by text (STOP) are recorded automatically when the message arrives.

            Example:
              parley consent revoke +13125550147 --source "phone call" --note "Asked at the front desk"
            """)

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var customer: CustomerArgument
    @Option(help: "How the customer asked.") var source: String?
    @Option(help: "A note for the record.") var note: String?

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            let customer = try customer.number(in: mailbox)
            let commit = try mailbox.consent.revoke(customer, source: source, note: note)
            context.output.line("Recorded that \(customer.formatted) withdrew consent" + (commit.map { " (commit \($0.shortID))" } ?? ""))
        }
    }
}
