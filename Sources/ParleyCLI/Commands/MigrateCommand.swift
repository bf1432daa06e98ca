import ArgumentParser
import Foundation
import ParleyCore

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Move a format-1 mailbox to format 2: records on their own branch.",
        discussion: """
            Format 2 keeps what Parley writes—messages, receipts, events, consent,
            contacts, the outbox—on the branch 'mailbox', which is never checked out:
            writes no longer touch the work tree or the index, and no commit a person
            makes on the checked-out branch can remove a record. What people edit
            (parley.yaml, tone.md, templates/, drafts/) stays where it is.

            The records branch starts from today's tip, so its history is complete;
            one commit then removes the records from the checked-out branch and sets
            format: 2. It refuses while a merge is unfinished or a record file has
            uncommitted edits, and is safe to run again. Afterwards run 'parley sync'
            so the hub gets both branches; teammates need Parley 2 or later.

            Read the records with Git:
              git log mailbox
              git show mailbox:conversations/47/+13125550147/messages/…
              git grep "crown" mailbox

            Example:
              parley migrate
            """)

    @OptionGroup var repository: RepositoryOptions

    func run() async throws {
        try await reporting {
            let context = try CommandContext()
            let store = try context.openStore(repository)
            let mailbox = try context.openMailbox(on: store)
            if mailbox.config.format >= 2 && store.hasRecordsBranch {
                context.output.line("Already format \(mailbox.config.format): records are on the '\(MailboxLayout.recordsBranch)' branch. Nothing "
                    + "to do.")
                return
            }
            let progress: (String) -> Void = { step in if context.output.isErrorTerminal { context.output.error("parley: \(step)…") } }
            let report = try store.migrateToRecordsBranch(
                config: { data throws(ParleyError) in try MailboxConfig.settingFormat(2, in: data) },
                author: mailbox.agent, time: context.clock.now(), progress: progress)
            context.output.line("Migrated to format 2: \(report.movedFiles) record files are on the '\(MailboxLayout.recordsBranch)' branch"
                                + (report.mainCommit.map { " (commit \($0.prefix(8)))" } ?? ""))
            context.output.line("Next: 'parley sync' shares both branches; review records with 'git log \(MailboxLayout.recordsBranch)'")
        }
    }
}
