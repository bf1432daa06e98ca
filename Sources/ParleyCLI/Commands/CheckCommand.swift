import ArgumentParser
import ParleyCore
import ParleyIndex

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate the mailbox: every file parses and is where it belongs, ids are unique, no secrets, the index agrees.",
        discussion: """
            Reads every file of both branches: parley.yaml, tone.md, templates, the outbox
            and every conversation's contact, messages, receipts, events, consent records
            and outcomes. Each problem is printed as path:line: problem. Exit status 0 when
            clean, 1 with problems. A Git host's CI runs it on every push (docs/DATA.md
            shows a workflow); a fresh CI clone has no index, so pass --no-index there.

            Examples:
              parley check
              parley check --no-index --json
            """)

    @OptionGroup var repository: RepositoryOptions
    @Flag(inversion: .prefixedNo, help: "Compare the derived index (.git/parley/index.sqlite) with the tree.") var index = true
    @Flag(help: "Print the result as JSON.") var json = false

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            let result = try MailboxCheck.run(mailbox, checkIndex: index, progress: context.progressReporter("reading the history into the index"))
            if json {
                context.output.write(JSONOutput.encode(result))
            } else {
                for problem in result.problems { context.output.line(problem) }
                context.output.error("Checked \(result.files) files in \(result.conversations) conversations: "
                    + (result.isClean ? "no problems." : "\(result.problems.count) problem(s)."))
            }
            if !result.isClean { throw ExitCode(ExitStatus.failure) }
        }
    }
}
