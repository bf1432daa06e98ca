import ArgumentParser
import Foundation
import ParleyCore
import ParleyRendering

struct InboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inbox",
        abstract: "Show open conversations, longest-waiting customer first.",
        discussion: """
            On a terminal the inbox shows one screenful and says how many more there
            are; --limit N shows N (0: every one) through a pager (PARLEY_PAGER, PAGER,
            else less -FRX). Piped or with --json, every matching conversation is printed.
            Read from the derived index under .git/parley/ (rebuilt from Git when missing).
            A customer waiting past their conversation's target (parley.yaml, use_cases;
            business time) is marked overdue; --overdue lists only them.

            Examples:
              parley inbox
              parley inbox --mine --waiting
              parley inbox --overdue
              parley inbox --limit 200
              parley inbox --unassigned --json
              parley inbox --all | grep billing
            """)

    @OptionGroup var repository: RepositoryOptions
    @Flag(help: "Only conversations assigned to you or with a note mentioning you (@you).") var mine = false
    @Flag(help: "Snoozed conversations too.") var snoozed = false
    @Flag(help: "Only conversations nobody is assigned to.") var unassigned = false
    @Flag(help: "Only conversations where the customer waits for an answer.") var waiting = false
    @Flag(help: "Only customers waiting past their response target.") var overdue = false
    @Flag(help: "Every conversation: closed ones included, no limit.") var all = false
    @Option(help: "Show at most this many (0: every one; default on a terminal: one screenful).") var limit: Int?
    @Option(help: "Only conversations with this tag.") var tag: String?
    @Flag(help: "Print the inbox as JSON.") var json = false

    func validate() throws {
        if mine && unassigned { throw ValidationError("--mine and --unassigned exclude each other") }
        if let limit, limit < 0 { throw ValidationError("--limit must be 0 or more") }
    }

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            let pager = Pager(environment: context.environment, output: context.output)
            // Two lines an entry, and room for the headings and the count.
            let screenful = max(5, (pager.terminalRows - 5) / 2)
            let shown = all ? nil : limit.map { $0 == 0 ? nil : $0 } ?? (context.output.isTerminal && !json ? screenful : nil)
            let filter = InboxFilter(onlyMine: mine, onlyUnassigned: unassigned, onlyCustomerWaiting: waiting, includeClosed: all, tag: tag,
                                     onlyOverdue: overdue, includeSnoozed: snoozed)
            let progress = context.progressReporter("building the index")
            let paused = try mailbox.lines.pauses().map { line, pause in
                "\(line.label) since \(Timestamp.format(pause.time, in: context.viewerZone)): \(pause.reason); "
                    + "resume with 'parley line resume \(line.name) --reason TEXT'"
            }
            let renderer = InboxRenderer(style: context.style, viewerZone: context.viewerZone, lineNames: mailbox.config.lineNames,
                                         pausedLines: paused)
            func more(_ outline: InboxOutline) -> String {
                guard outline.total > outline.listed else { return "" }
                return "\nShowing \(outline.listed) of \(outline.total): 'parley inbox --limit N' shows more, --limit 0 every one\n"
            }
            let problems: [ParleyError]
            if context.output.isTerminal && !json {
                let inbox = try mailbox.conversations.inbox(filter, limit: shown, progress: progress)
                pager.show(renderer.render(inbox) + more(inbox.outline))
                problems = inbox.problems
            } else {
                // Piped or JSON: every row is written as it is read.
                let listing = StreamedListing(context.output, json: json)
                var outline: InboxOutline?
                var position = 0
                problems = try mailbox.conversations.inbox(filter, limit: shown, progress: progress, begin: {
                    outline = $0
                    if !json { listing.write(renderer.opening($0)) }
                }, each: { entry in
                    if json { listing.append(entry) } else { listing.write(renderer.lines(for: entry, at: position, of: outline!)) }
                    position += 1
                })
                if !json, let outline { listing.write(more(outline)) }
                listing.finish()
            }
            try reportProblems(problems, output: context.output)
        }
    }
}

/// Prints each unreadable file as `path:line: problem` and fails with the
/// malformed-file status after the readable part was shown.
func reportProblems(_ problems: [ParleyError], output: Output) throws {
    guard !problems.isEmpty else { return }
    for problem in problems { output.error("parley: " + problem.description) }
    output.error("parley: \(problems.count) conversation\(problems.count == 1 ? "" : "s") could not be read; fix the "
        + "file\(problems.count == 1 ? "" : "s") above and commit")
    throw ExitCode(ExitStatus.malformed)
}
