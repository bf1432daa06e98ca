import ArgumentParser
import ParleyCore

struct EraseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "erase",
        abstract: "Erase everything stored about one person, from the whole history, and never text them again.",
        discussion: """
            Removes the person's conversation folder (messages, receipts, events, consent,
            contact, outcomes), outbox entries and unmatched receipts naming the number,
            and the number and full name from every commit message, by rewriting the
            records branch. Then commits an erasure record (when, who, why, how many files;
            never the content) and a suppression entry (a keyed hash of the number): a
            send to the number is refused from then on.

            Run 'parley sync' next: it replaces the hub's records branch (a lease-protected
            forced push), and every other clone's 'parley sync' rewrites its own history.
            Old objects stay in each repository until 'git reflog expire --expire=now
            --all && git gc --prune=now' runs there; docs/DATA.md has the whole procedure.
            Without --yes, says what would be erased and changes nothing.

            Examples:
              parley erase +13125550147 --reason "customer asked to be forgotten (email of 3 May)"
              parley erase +13125550147 --reason "customer request" --yes
            """)

    @OptionGroup var repository: RepositoryOptions
    @Argument(help: "The person's number.") var number: String
    @Option(help: "Why, for the erasure record (required).") var reason: String
    @Flag(help: "Erase now; without it, only says what would be erased.") var yes = false
    @Flag(help: "Print the erasure record as JSON.") var json = false

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            let number = try mailbox.parseNumber(number)
            guard yes else {
                let snapshot = try mailbox.store.snapshot()
                let folder = MailboxLayout.conversationDirectory(number)
                let kinds = try (snapshot.list(folder) ?? []).map { entry throws(ParleyError) in
                    entry.isDirectory ? "\(try snapshot.list(folder + "/" + entry.name)?.count ?? 0) \(entry.name)" : entry.name
                }
                context.output.line(kinds.isEmpty ? "Nothing is stored for \(number.e164) now (its history and commit messages are still searched)."
                    : "Would erase \(number.e164) from every commit: \(kinds.joined(separator: ", ")), and the number in commit messages.")
                context.output.error("Nothing changed. Add --yes to erase; then run parley sync so the hub and the other clones erase it too.")
                throw ExitCode(ExitStatus.failure)
            }
            let record = try Erasure.erase(number, reason: reason, in: mailbox)
            if json {
                context.output.write(JSONOutput.encode(record))
            } else {
                context.output.line("Erased \(number.e164): \(record.filesRemoved) files, \(record.commitsRewritten) commits rewritten; "
                    + "erasure record \(record.path)")
            }
            context.output.error("Next: parley sync (it replaces the hub's records branch; other clones rewrite theirs when they sync), then "
                + "in every copy: git reflog expire --expire=now --all && git gc --prune=now")
        }
    }
}
