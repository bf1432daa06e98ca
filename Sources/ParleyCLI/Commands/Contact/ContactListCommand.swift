import ArgumentParser
import ParleyCore

struct ContactListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List contacts and everyone with a conversation.",
        discussion: """
            Examples:
              parley contact list
              parley contact list --json
            """)

    @OptionGroup var repository: RepositoryOptions

    @Flag(help: "Print the list as JSON.")
    var json = false

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            let scan = try mailbox.contacts.all()
            if json {
                context.output.write(JSONOutput.encode(scan.summaries))
            } else if scan.summaries.isEmpty {
                context.output.line("No contacts yet; add one with 'parley contact add NUMBER --name NAME'")
            } else {
                for summary in scan.summaries {
                    let name = summary.name ?? "(no name)"
                    context.output.line("\(summary.number.formatted)  \(name)  \(summary.timeZone ?? "")  \(summary.messageCount) "
                        + "message\(summary.messageCount == 1 ? "" : "s")")
                }
            }
            try reportProblems(scan.problems, output: context.output)
        }
    }
}
