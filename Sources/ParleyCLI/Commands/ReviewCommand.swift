import ArgumentParser
import Foundation
import ParleyCore

struct ReviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Replies that may ask us to stop: nothing is sent to these numbers until a person decides.",
        discussion: """
            Since April 2025 the FCC counts any reply a reasonable person would read as a
            revocation ("please stop texting me", "remove me") as an opt-out.

            Examples:
              parley review
              parley review resolve +13125550185 --opt-out --note "Asked us to stop"
              parley review resolve +13125550185 --keep --note "Meant to stop the appointment reminders only for this week"
            """,
        subcommands: [ReviewListCommand.self, ReviewResolveCommand.self],
        defaultSubcommand: ReviewListCommand.self
    )
}

struct ReviewListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the replies waiting for review.",
        discussion: """
            Example:
              parley review list --json
            """)

    @OptionGroup var repository: RepositoryOptions
    @Flag(help: "Print as JSON.") var json = false

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            let reviews = try mailbox.consent.openReviews()
            context.output.list(reviews, json: json, empty: "No replies are waiting for review.") { summary in
                let since = summary.consent.reviewOpenedAt.map { Timestamp.format($0, in: context.viewerZone) } ?? ""
                let who = summary.name.map { "\(summary.number.formatted)  \($0)" } ?? summary.number.formatted
                let last = summary.lastMessage.map { "    \($0.direction == .inbound ? "←" : "→") \($0.preview)" }
                return ["\(who)  since \(since)"] + (last.map { [$0] } ?? [])
                    + ["    decide: parley review resolve \(summary.number.e164) --opt-out|--keep"]
            }
        }
    }
}

struct ReviewResolveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve", abstract: "Decide a review: the customer asked to stop (--opt-out) or did not (--keep).",
        discussion: """
            Example:
              parley review resolve +13125550185 --opt-out
            """)

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var customer: CustomerArgument
    @Flag(help: "They asked to stop: record an opt-out.") var optOut = false
    @Flag(help: "They did not ask to stop: resume messaging.") var keep = false
    @Option(help: "Why, for the record.") var note: String?

    func validate() throws {
        guard optOut != keep else { throw ValidationError("give exactly one of --opt-out or --keep") }
    }

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            let customer = try customer.number(in: mailbox)
            let commit = try mailbox.consent.resolveReview(customer, optOut: optOut, note: note)
            context.output.line((optOut ? "Opted out \(customer.formatted)" : "Resumed messaging \(customer.formatted)") + (commit.map { " (commit "
                + "\($0.shortID))" } ?? ""))
        }
    }
}
