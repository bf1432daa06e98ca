import ArgumentParser
import Foundation
import ParleyCore

struct ConsentImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import consent records from a CSV export, as one commit.",
        discussion: """
            The first row names the columns. Rows with problems are reported with their
            line numbers and left out; the rest are committed together. Importing the
            same file again changes nothing.

            With --opt-outs each row is an opt-out another system received (the file
            'parley consent export' writes, or any with a phone column): the numbers are
            opted out here too, on every line, with the row's time, source and note as
            evidence. An opt-out file is taken whole: if any row has a problem, nothing
            is written.

            Examples:
              parley consent import signups.csv --disclosure "I agree to receive appointment texts…" --purpose "appointment reminders"
              parley consent import export.csv --number-column mobile --time-column signed_up --dry-run
              parley consent import other-system-optouts.csv --opt-outs
            """)

    @OptionGroup var repository: RepositoryOptions
    @Argument(help: "The CSV file.") var file: String
    @Option(help: "The column with the phone number.") var numberColumn = "phone"
    @Option(help: "The column with the name.") var nameColumn = "name"
    @Option(help: "The column with the consent time (default consented_at; with --opt-outs, time).") var timeColumn: String?
    @Option(help: "The column with the disclosure text.") var disclosureColumn = "disclosure"
    @Option(help: "The column with the purpose.") var purposeColumn = "purpose"
    @Option(help: "The column with the source (form, URL).") var sourceColumn = "source"
    @Option(help: "The disclosure text, for files without a disclosure column.") var disclosure: String?
    @Option(help: "The purpose, for files without a purpose column.") var purpose: String?
    @Option(help: "How consent was given: web_form, paper, verbal or import.") var method = ConsentEvent.Method.import
    @Flag(help: "Each row is an opt-out, not a grant of consent.") var optOuts = false
    @Flag(help: "Check the file and report what would be imported, without committing.") var dryRun = false
    @Flag(help: "Print the report as JSON.") var json = false

    func validate() throws {
        guard method != .review, method != .keyword else {
            throw ValidationError("--method must be one of web_form, paper, verbal, import")
        }
    }

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            guard let data = FileManager.default.contents(atPath: file) else { throw ParleyError.invalidInput("cannot read \(file)") }
            guard let text = String(data: data, encoding: .utf8) else { throw ParleyError.invalidInput("\(file) is not UTF-8 text") }
            var columns = ConsentImport.Columns()
            columns.number = numberColumn
            columns.name = nameColumn
            columns.time = timeColumn ?? (optOuts ? "time" : "consented_at")
            columns.disclosure = disclosureColumn
            columns.purpose = purposeColumn
            columns.source = sourceColumn
            var defaults = ConsentImport.Defaults()
            defaults.disclosure = disclosure
            defaults.purpose = purpose
            defaults.method = method
            let name = (file as NSString).lastPathComponent
            var importer = ConsentImport(columns: columns, defaults: defaults, fileName: name, fileHash: FileHash.sha256(data))
            if optOuts { importer.rows = .optOuts }
            let showProgress = context.output.isErrorTerminal && !json
            let report = try mailbox.consent.importCSV(text, using: importer, dryRun: dryRun) { done, total in
                if showProgress && total >= 5000 { context.output.error("\u{1B}[1A\u{1B}[2K  reading rows: \(done)/\(total)") }
            }
            if json {
                context.output.write(JSONOutput.encode(report))
            } else {
                for problem in report.problems { context.output.error("\(file):\(problem.line): \(problem.problem)") }
                if optOuts && !report.problems.isEmpty { context.output.error("parley: nothing was imported: fix the rows above and import again") }
                for line in report.duplicatesInFile { context.output.error("\(file):\(line): duplicate of an earlier row; skipped") }
                let verb = dryRun || (optOuts && !report.problems.isEmpty) ? "Would import" : "Imported"
                context.output.line("\(verb) \(report.imported) of \(report.rows) rows; \(report.alreadyRecorded) already recorded, "
                    + "\(report.duplicatesInFile.count) duplicates, \(report.problems.count) with problems"
                                    + (report.commit.map { " (commit \(String($0.prefix(8))))" } ?? ""))
            }
            if !report.problems.isEmpty { throw ExitCode(ExitStatus.malformed) }
        }
    }
}
