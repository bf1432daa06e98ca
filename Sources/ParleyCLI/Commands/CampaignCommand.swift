import ArgumentParser
import Foundation
import ParleyCore

struct CampaignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "campaign",
        abstract: "Draft a 10DLC campaign registration from the mailbox.",
        subcommands: [CampaignDraftCommand.self])
}

struct CampaignDraftCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "draft",
        abstract: "Write the campaign description, opt-in flow, sample messages and HELP/STOP replies into one Markdown file, and lint it.",
        discussion: """
            The samples are the templates for the campaign's use cases, rendered. The lint
            names what carriers most often reject: no business name, no opt-out language
            in any sample, a sample for a use case no line of the campaign serves, a
            public link shortener, restricted content the campaign does not declare, no
            description. The file is written either way; the exit status is 3 when the
            lint found something.

            Examples:
              parley campaign draft --campaign CAPPT01 --output campaign-CAPPT01.md
              parley campaign draft --json
            """)

    @OptionGroup var repository: RepositoryOptions
    @Option(help: ArgumentHelp("The campaign (its id in parley.yaml); default: every line.", valueName: "id")) var campaign: String?
    @Option(help: ArgumentHelp("Where to write the draft.", valueName: "file")) var output = "campaign-draft.md"
    @Flag(help: "Print the findings and samples as JSON.") var json = false

    struct Shape: Encodable {
        let file: String
        let samples: [String]
        let findings: [CampaignDraft.Finding]
    }

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            let result = try mailbox.campaignDraft.draft(campaign: campaign)
            do {
                try Data(result.markdown.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
            } catch {
                throw ParleyError.invalidInput("cannot write \(output): \(error.localizedDescription)")
            }
            if json {
                context.output.write(JSONOutput.encode(Shape(file: output, samples: result.samples, findings: result.findings)))
            } else {
                context.output.line("Wrote \(output): \(result.samples.count) sample message\(result.samples.count == 1 ? "" : "s")")
                for finding in result.findings { context.output.line("  " + context.style.paint("fix", .red) + " \(finding)") }
                context.output.line(result.findings.isEmpty ? "No common rejection reason found; review the file, then submit it to your provider."
                    : "Fix these, run it again, then review the file before submitting it.")
            }
            if !result.findings.isEmpty { throw ExitCode(ExitStatus.refused) }
        }
    }
}
