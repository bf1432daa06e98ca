import ArgumentParser
import ParleyCore

struct SnoozeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snooze",
        abstract: "Hide a conversation from the inbox until a time, or until the customer writes.",
        discussion: """
            A snoozed conversation comes back early when the customer writes. While it
            is snoozed it counts as waiting on the customer: it is never overdue, and
            the report stops the customer's wait at the snooze. 'parley inbox --snoozed'
            shows snoozed conversations; 'parley wake' ends a snooze.

            Examples:
              parley snooze +13125550147 --until 2026-03-12T09:00:00-05:00 --note "Calls back Thursday"
              parley snooze +13125550147 --for 4h
              parley snooze +13125550147 --until-reply
            """)

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var customer: CustomerArgument
    @Option(help: ArgumentHelp("Until this time, ISO 8601 with offset.", valueName: "time")) var until: ExactTime?
    @Option(name: .customLong("for"), help: ArgumentHelp("For this long from now: seconds, or with s/m/h (90m, 4h).", valueName: "duration"))
    var duration: Interval?
    @Flag(help: "Until the customer writes.") var untilReply = false
    @Option(help: "Why, for the history.") var note: String?

    func validate() throws {
        guard [until != nil, duration != nil, untilReply].filter({ $0 }).count == 1 else {
            throw ValidationError("give exactly one of --until TIME, --for DURATION or --until-reply")
        }
        if let duration, duration.seconds <= 0 { throw ValidationError("--for must be longer than nothing") }
    }

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            let end = until?.date ?? duration.map { mailbox.clock.now().addingTimeInterval($0.seconds) }
            let outcome = try mailbox.triage.snooze(customer.number(in: mailbox), until: end, note: note)
            let endText = end.map { "until " + Timestamp.format($0, in: context.viewerZone) } ?? "until the customer writes"
            TriageReport.print(outcome, done: "Snoozed \(endText)", same: "Already snoozed \(endText)", output: context.output)
        }
    }
}

struct WakeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wake",
        abstract: "End a conversation's snooze: it is back in the inbox.",
        discussion: """
            Example:
              parley wake +13125550147
            """)

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var customer: CustomerArgument

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            TriageReport.print(try mailbox.triage.wake(customer.number(in: mailbox)), done: "Woken: back in the inbox", same: "Not snoozed",
                               output: context.output)
        }
    }
}
