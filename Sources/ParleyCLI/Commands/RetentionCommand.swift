import ArgumentParser
import ParleyCore
import ParleyIndex

struct RetentionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retention",
        abstract: "List what is past its retention time (parley.yaml, retention:); --apply erases it.",
        discussion: """
            Messages older than retention.messages are past their time; so is everything
            about a person whose last message (or consent record) is older than
            retention.consent. --apply erases them from the whole history the way
            'parley erase' does (without a suppression entry: the person did not ask to be
            forgotten), one erasure record each. Exit status 0 when nothing is past its
            time, 1 when something is (without --apply).

            Examples:
              parley retention
              parley retention --json
              parley retention --apply
            """)

    @OptionGroup var repository: RepositoryOptions
    @Flag(help: "Erase what is past its time.") var apply = false
    @Flag(help: "Print the result as JSON.") var json = false

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            let policy = mailbox.config.retention
            guard policy != RetentionPolicy() else {
                context.output.line("parley.yaml sets no retention: nothing expires. Add e.g.\n  retention:\n    messages: 7y\n    consent: 5y")
                return
            }
            let review = try RetentionReview.review(mailbox, progress: context.progressReporter("reading the history into the index"))
            if apply {
                let records = try review.apply(to: mailbox)
                if json { return context.output.write(JSONOutput.encode(records)) }
                for record in records { context.output.line("Erased \(record.filesRemoved) files (\(record.reason)); record \(record.path)") }
                if records.isEmpty { context.output.line("Nothing is past its time.") }
                if !records.isEmpty { context.output.error("Next: parley sync, then git reflog expire --expire=now --all && git gc --prune=now") }
                return
            }
            if json {
                context.output.write(JSONOutput.encode(review))
            } else {
                if let cutoff = review.messagesBefore {
                    context.output.line("Messages before \(Timestamp.format(cutoff)) (\(policy.messages!)): \(review.expiredMessages) in "
                        + "\(review.conversationsWithExpiredMessages) conversations")
                }
                if let cutoff = review.consentBefore {
                    context.output.line("People with nothing since \(Timestamp.format(cutoff)) (\(policy.consent!)): \(review.expiredPeople.count)")
                    for person in review.expiredPeople { context.output.line("  \(person.number)  last \(Timestamp.format(person.lastActivity))") }
                }
                if !review.isEmpty { context.output.error("parley retention --apply erases them from the whole history") }
            }
            if !review.isEmpty { throw ExitCode(ExitStatus.failure) }
        }
    }
}
