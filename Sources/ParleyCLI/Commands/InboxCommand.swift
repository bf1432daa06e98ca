import ArgumentParser
import Foundation
import ParleyCore

struct InboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inbox",
        abstract: "Show open conversations, longest-waiting customer first.",
        discussion: """
            Examples:
              parley inbox
              parley inbox --mine --waiting
              parley inbox --unassigned --json
            """)

    @OptionGroup var repository: RepositoryOptions

    @Flag(help: "Only conversations assigned to you.")
    var mine = false

    @Flag(help: "Only conversations nobody is assigned to.")
    var unassigned = false

    @Flag(help: "Only conversations where the customer waits for an answer.")
    var waiting = false

    @Flag(help: "Include closed conversations.")
    var all = false

    @Option(help: "Only conversations with this tag.")
    var tag: String?

    @Flag(help: "Print the inbox as JSON.")
    var json = false

    func validate() throws {
        if mine && unassigned { throw ValidationError("--mine and --unassigned exclude each other") }
    }

    func run() async throws {
        try await reporting {
            let context = try CommandContext()
            let mailbox = try context.openMailbox(repository)
            let inbox = try mailbox.inbox(InboxFilter(onlyMine: mine, onlyUnassigned: unassigned, onlyCustomerWaiting: waiting, includeClosed: all, tag: tag))
            if json {
                context.output.write(JSONOutput.encode(inbox.entries))
            } else {
                context.output.write(InboxRenderer(style: context.style).render(inbox))
            }
            try reportProblems(inbox.problems, output: context.output)
        }
    }
}

/// Prints each unreadable file as `path:line: problem` and fails with the
/// malformed-file status after the readable part was shown.
func reportProblems(_ problems: [ParleyError], output: Output) throws {
    guard !problems.isEmpty else { return }
    for problem in problems { output.error("parley: " + problem.description) }
    output.error("parley: \(problems.count) conversation\(problems.count == 1 ? "" : "s") could not be read; fix the file\(problems.count == 1 ? "" : "s") above and commit")
    throw ExitCode(ExitStatus.malformed)
}
