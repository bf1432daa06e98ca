import ArgumentParser
import Foundation
import ParleyCore
import ParleyGateways

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Record messages other systems sent through the same account (reminders, booking tools).",
        discussion: """
            Businesses let automated systems send broad reminders and use Parley for the
            exceptions; a customer's reply to a reminder then lands here without the
            reminder. Importing records those messages in their conversations, marked as
            sent by the system (agent automated:SYSTEM): the thread shows them, the audit
            counts them apart (Parley did not send or gate them). Recording is idempotent
            by the provider's id, and Parley's own sends are recognised and skipped.
            'parley serve' also takes them as they happen (docs/AUTOMATION.md).

            Examples:
              parley import twilio --since 2026-03-01 --system reminders
              parley import file reminders-march.csv --system reminders
              parley import file sent.jsonl --json
            """,
        subcommands: [ImportTwilioCommand.self, ImportFileCommand.self]
    )
}

/// What an import did, for people and for `--json`.
struct ImportReport {
    let result: AutomatedMessages.Result
    let read: Int

    func print(_ context: CommandContext, json: Bool) {
        if json { return context.output.write(JSONOutput.encode(result)) }
        context.output.line("Read \(read) message\(read == 1 ? "" : "s"): recorded \(result.recorded.count), already in the mailbox "
            + "\(result.alreadyThere)" + (result.suppressed > 0 ? ", for erased numbers (not recorded) \(result.suppressed)" : ""))
        if let commit = result.commit { context.output.line("Committed \(commit.prefix(12)); 'parley thread NUMBER' shows them with the replies") }
    }
}

struct ImportTwilioCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "twilio", abstract: "Record the outbound messages in the Twilio account's Messages list over a period.",
        discussion: """
            Reads GET /Messages.json with DateSent filters, page by page, with the account
            in parley.yaml (gateway.account_sid) and PARLEY_TWILIO_AUTH_TOKEN.

            Example:
              parley import twilio --since 2026-03-01 --until 2026-03-31 --system reminders
            """)

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var period: PeriodOptions
    @Option(help: "The system's name in the threads.") var system = "twilio-account"
    @Flag(help: "Print the result as JSON.") var json = false

    func validate() throws {
        guard period.since != nil else { throw ValidationError("--since is required: the first day (YYYY-MM-DD) or time to import from") }
    }

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            guard let source = try context.gateway(for: mailbox) as? any MessageHistorySource else {
                throw ParleyError.invalidInput("parley.yaml's gateway, \(mailbox.config.gateway.provider), cannot list the messages its account "
                    + "sent; export the other system's messages and use 'parley import file'")
            }
            let period = try self.period.period(of: mailbox)
            let system = try AutomatedMessage.validSystem(system)
            let progress = context.progressReporter("reading \(source.historyName)")
            let found: [AutomatedMessage]
            do {
                found = try await source.outboundMessages(since: period.since!, until: period.until, system: system) { progress?($0, 0) }
            } catch {
                throw ParleyError.gateway("reading \(source.historyName): \(error)")
            }
            let result = try AutomatedMessages(mailbox: mailbox).record(found, source: source.historyName)
            ImportReport(result: result, read: found.count).print(context, json: json)
        }
    }
}

struct ImportFileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "file", abstract: "Record messages listed in a CSV or JSON Lines file another system exported.",
        discussion: """
            Columns (CSV header) or keys (JSONL): to, body, time (ISO 8601 with offset),
            provider_id (required); from, status (sent), system (optional). A bad row
            is reported as path:line: problem and nothing is recorded.

            Example:
              parley import file reminders.csv --system reminders --gateway twilio
            """)

    @OptionGroup var repository: RepositoryOptions
    @Argument(help: "The .csv or .jsonl file.") var path: String
    @Option(help: "The system's name in the threads, for rows without a system column.") var system = "import"
    @Option(help: "The provider that carried the messages (recorded as their gateway).") var gateway = "import"
    @Flag(help: "Print the result as JSON.") var json = false

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            guard let data = FileManager.default.contents(atPath: path) else { throw ParleyError.notFound("cannot read \(path)") }
            let messages = try AutomatedMessageFile.parse(data, path: path, system: try AutomatedMessage.validSystem(system),
                                                          gateway: gateway, defaultRegion: mailbox.config.defaultCountry)
            let result = try AutomatedMessages(mailbox: mailbox).record(messages, source: (path as NSString).lastPathComponent)
            ImportReport(result: result, read: messages.count).print(context, json: json)
        }
    }
}
