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
    @Flag(help: "Print the list as JSON.") var json = false

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            let scan = try mailbox.contacts.all()
            context.output.list(scan.summaries, json: json, empty: "No contacts yet; add one with 'parley contact add NUMBER --name NAME'") {
                ["\($0.number.formatted)  \($0.name ?? "(no name)")  \($0.timeZone ?? "")  \($0.messageCount) "
                    + "message\($0.messageCount == 1 ? "" : "s")"]
            }
            try reportProblems(scan.problems, output: context.output)
        }
    }
}
