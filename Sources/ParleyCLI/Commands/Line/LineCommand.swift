import ArgumentParser
import Foundation
import ParleyCore

struct LineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "line",
        abstract: "List the sender lines, and pause or resume one.",
        discussion: """
            Lines are declared in parley.yaml (lines:). A line pauses itself when too many
            of its latest sends fail or are filtered by carriers (deliverability:
            pause_window, pause_share); every send from it is refused until a person
            resumes it with a reason.
            """,
        subcommands: [LineListCommand.self, LinePauseCommand.self, LineResumeCommand.self],
        defaultSubcommand: LineListCommand.self,
        aliases: ["lines"]
    )
}

struct LineListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Show each line: number, provider, campaign, use cases, and whether it is paused.",
        discussion: """
            Examples:
              parley line list
              parley line list --json
            """)

    @OptionGroup var repository: RepositoryOptions
    @Flag(help: "Print the lines as JSON.") var json = false

    struct Row: Encodable {
        let name, number, provider: String
        let campaign: String?
        let useCases: [String]
        let paused: Bool
        let pausedSince: Date?
        let pauseReason: String?
    }

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            let rows = try mailbox.config.senderLines.map { line throws(ParleyError) in
                let pause = try mailbox.lines.pause(of: line)
                return Row(name: line.name, number: line.number.e164, provider: line.provider ?? mailbox.config.gateway.provider,
                           campaign: line.campaign, useCases: line.useCases, paused: pause != nil, pausedSince: pause?.time, pauseReason: pause?.reason)
            }
            context.output.list(rows, json: json, empty: "No lines.") { row -> [String] in
                var text = "\(row.name)  \(row.number)  \(row.provider)"
                if let campaign = row.campaign { text += "  campaign \(campaign)" }
                if !row.useCases.isEmpty { text += "  for \(row.useCases.joined(separator: ", "))" }
                if row.paused {
                    text += "\n  " + context.style.paint("PAUSED", .red) + " since \(Timestamp.format(row.pausedSince!, in: context.viewerZone)): "
                        + "\(row.pauseReason ?? "")\n  resume with: parley line resume \(row.name) --reason TEXT"
                }
                return [text]
            }
        }
    }
}

/// The line and the reason, for a pause or a resumption.
struct LineChangeOptions: ParsableArguments {
    @OptionGroup var repository: RepositoryOptions
    @Argument(help: "The line, by name or number.") var line: String
    @Option(help: "Why; recorded with the line's event.") var reason: String

    /// Records `kind` on the line and says what happened.
    func record(_ kind: LineEvent.Kind) async throws {
        try await withMailbox(repository) { context, mailbox in
            let line = try mailbox.lines.named(line)
            let commit = try kind == .pause ? mailbox.lines.pause(line, reason: reason) : mailbox.lines.resume(line, reason: reason)
            let done = kind == .pause ? "Paused" : "Resumed"
            context.output.line(commit.map { "\(done) line \(line.label) (\($0.shortID))" }
                ?? "Line \(line.label) is \(kind == .pause ? "paused already" : "not paused")")
        }
    }
}

struct LinePauseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pause",
        abstract: "Stop every send from a line until it is resumed.",
        discussion: """
            Example:
              parley line pause sales --reason "Campaign under carrier review"
            """)

    @OptionGroup var change: LineChangeOptions

    func run() async throws { try await change.record(.pause) }
}

struct LineResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Let a paused line send again, saying why it is safe.",
        discussion: """
            Only the sends after the resumption count toward the next automatic pause.

            Example:
              parley line resume front-desk --reason "Removed the shortened link from the reminder template"
            """)

    @OptionGroup var change: LineChangeOptions

    func run() async throws { try await change.record(.resume) }
}
