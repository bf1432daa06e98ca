import ArgumentParser
import Foundation
import ParleyCore
import ParleyTUI

struct TUICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tui",
        abstract: "Work the inbox full-screen: the inbox and the open thread, single keys for the daily work.",
        discussion: """
            j/k or the arrows move; r replies inline, e in $EDITOR, T from a template
            (its name, then name=value for its variables); a takes the
            conversation, A assigns it (a handle, then an optional note); t tags; c closes
            with an outcome; s snoozes (30m, 2h, 1d or 'reply'); n adds a note; v decides a
            review (k keep, o opt out); / searches; p shows the texts awaiting approval
            (y approves, E edits, x returns to the author); q quits. A reply the gate refuses is
            shown in place with its way out: l queues it for the next allowed time, o
            overrides with a reason. The screen follows new messages by itself.
            Needs a terminal of at least 80×24; honours NO_COLOR.

            Example:
              parley tui
            """)

    @OptionGroup var repository: RepositoryOptions

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
                throw ParleyError.invalidInput("parley tui needs a terminal; use 'parley inbox' and the other commands in scripts")
            }
            let key = mailbox.config.review.requireSigned ? try context.signingKey(for: mailbox) : nil
            let workspace = try Workspace(mailbox: mailbox, gateway: context.gateway(for: mailbox), environment: context.environment,
                                          signingKey: key)
            await workspace.run()
        }
    }
}
