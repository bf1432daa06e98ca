import ArgumentParser
import Foundation
import ParleyCore

struct OutcomeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outcome",
        abstract: "Record what happened outside the mailbox (shows, no-shows), for 'parley report evaluation'.",
        subcommands: [OutcomeImportCommand.self])
}

struct OutcomeImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import outcomes from another system's CSV export (an appointment book's shows and no-shows), as one commit.",
        discussion: """
            The first row names the columns: the customer's number, the appointment's time
            (ISO 8601, or 2026-03-12 15:30 in the business's time zone) and its outcome, one
            of the use case's outcomes (parley.yaml, use_cases). Values are lowercased with
            spaces as dashes ("No Show" is no-show); --value maps other words. Rows with
            problems are reported with their line numbers and left out; importing the same
            file again changes nothing, and a changed outcome updates its record.

            Examples:
              parley outcome import appointments.csv --dry-run
              parley outcome import export.csv --number-column mobile --time-column start --outcome-column result \\
                  --value "Show=attended" --value "DNA=no-show"
            """)

    @OptionGroup var file: BookingFileOptions
    @Option(help: "The column with the outcome.") var outcomeColumn = "status"

    @Option(help: ArgumentHelp("Map a value of the file to an outcome, e.g. \"Show=attended\" (repeatable).", valueName: "word=outcome"))
    var value: [String] = []

    func validate() throws {
        for mapping in value where !mapping.contains("=") { throw ValidationError("--value '\(mapping)' must be WORD=OUTCOME, e.g. Show=attended") }
    }

    func run() async throws {
        let values = Dictionary(value.map { mapping in
            let parts = mapping.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            return (parts[0], parts.count > 1 ? parts[1] : "")
        }, uniquingKeysWith: { _, last in last })
        try await file.run(outcomeColumn: outcomeColumn, values: values)
    }
}

struct AppointmentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "appointments",
        abstract: "Import booked appointments, for the automations that text ahead of them.",
        subcommands: [AppointmentsImportCommand.self])
}

struct AppointmentsImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import booked appointments from another system's CSV export, as one commit.",
        discussion: """
            The first row names the columns: the customer's number and the appointment's
            time (ISO 8601, or 2026-03-12 15:30 in the business's time zone). Each row is kept
            beside the customer's conversation; an automation with 'trigger: appointment'
            texts ahead of it (parley automations run). Rows with problems are reported with
            their line numbers and left out; importing the same file again changes nothing.
            A moved appointment is a new row: its old time is not texted once it has passed.

            Examples:
              parley appointments import tomorrow.csv
              parley appointments import export.csv --number-column mobile --time-column start --dry-run
            """)

    @OptionGroup var file: BookingFileOptions

    func run() async throws { try await file.run(outcomeColumn: nil, values: [:]) }
}

/// The CSV file of an appointment book and how to read it: outcomes or bookings.
struct BookingFileOptions: ParsableArguments {
    @OptionGroup var repository: RepositoryOptions
    @Argument(help: "The CSV file.") var file: String
    @Option(help: "The column with the customer's phone number.") var numberColumn = "phone"
    @Option(help: "The column with the appointment's time.") var timeColumn = "appointment_at"
    @Option(name: .customLong("use-case"), help: "The use case the rows belong to.") var useCase = "appointments"
    @Flag(help: "Check the file and report what would be imported, without committing.") var dryRun = false
    @Flag(help: "Print the report as JSON.") var json = false

    /// Imports the file: outcomes when `outcomeColumn` is given, else appointments.
    func run(outcomeColumn: String?, values: [String: String]) async throws {
        try await withMailbox(repository) { context, mailbox in
            guard let data = FileManager.default.contents(atPath: file) else { throw ParleyError.invalidInput("cannot read \(file)") }
            guard let text = String(data: data, encoding: .utf8) else { throw ParleyError.invalidInput("\(file) is not UTF-8 text") }
            guard let chosen = mailbox.config.monitoring.useCase(named: useCase) else {
                throw ParleyError.invalidInput("'\(useCase)' is not a use case of this mailbox (parley.yaml, use_cases)")
            }
            var columns = OutcomeImport.Columns()
            (columns.number, columns.time, columns.outcome) = (numberColumn, timeColumn, outcomeColumn)
            let importer = OutcomeImport(columns: columns, useCase: chosen, values: values, fileName: (file as NSString).lastPathComponent)
            let report = try importer.run(text, on: mailbox, dryRun: dryRun)
            if json {
                context.output.write(JSONOutput.encode(report))
            } else {
                for problem in report.problems { context.output.error("\(file):\(problem.line): \(problem.problem)") }
                for line in report.duplicatesInFile { context.output.error("\(file):\(line): the same appointment as an earlier row; skipped") }
                let (add, change) = dryRun ? ("Would import", "update") : ("Imported", "updated")
                context.output.line("\(add) \(report.imported) and \(change) \(report.updated) of \(report.rows) rows; "
                    + "\(report.alreadyRecorded) already recorded, \(report.duplicatesInFile.count) duplicates, "
                    + "\(report.problems.count) with problems"
                    + (report.commit.map { " (commit \(String($0.prefix(8))))" } ?? ""))
            }
            if !report.problems.isEmpty { throw ExitCode(ExitStatus.malformed) }
        }
    }
}
