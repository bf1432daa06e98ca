import ArgumentParser
import Foundation
import ParleyCore

struct ConsentExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the opt-out list (or every consent record) as CSV, with its evidence.",
        discussion: """
            By default one row per number opted out now, with the record that opted it
            out: time, method, source, the line it came in on, the message, and the
            evidence. Another system imports it; so does 'parley consent import --opt-outs'.

            Examples:
              parley consent export > optouts.csv
              parley consent export --all --output consent.csv
            """)

    @OptionGroup var repository: RepositoryOptions
    @Flag(help: "Every consent record of every number, not only the opt-outs in force.") var all = false
    @Option(help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file")) var output: String?

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            let (text, rows) = try mailbox.consentExport.csv(everyRecord: all)
            guard let output else {
                context.output.write(text)
                return
            }
            do {
                try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
            } catch {
                throw ParleyError.invalidInput("cannot write \(output): \(error.localizedDescription)")
            }
            context.output.error("Wrote \(rows) \(all ? "consent record" : "opt-out")\(rows == 1 ? "" : "s") to \(output)")
        }
    }
}
