import ArgumentParser
import Foundation
import ParleyCore
import ParleyReportHTML
import ParleyIndex
import ParleyRendering

extension ReportQuery.Grouping: ExpressibleByArgument {}

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "How the team did: volume, response and resolution times, outcomes, delivery, opt-outs.",
        discussion: """
            Every figure comes from the mailbox's history (the same on every clone), read
            through the derived index. Response times count business time (parley.yaml,
            business_hours), with calendar time beside; targets come from use_cases. The
            measures are defined in docs/REPORTS.md. Days are in the business's time zone.

            Examples:
              parley report
              parley report --since 2026-03-01 --until 2026-04-01 --by agent
              parley report --by week --csv > weekly.csv
              parley report --agent dana --json
              parley report --since 2026-03-01 --html march.html
              parley report evaluation --outcome no-show
            """,
        subcommands: [ReportEvaluationCommand.self])

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var period: PeriodOptions
    @Option(help: ArgumentHelp("Break the figures down by agent, use-case, template, day or week.", valueName: "slice")) var by: ReportQuery.Grouping?
    @Option(help: ArgumentHelp("Only what this agent sent, answered, was assigned or closed.", valueName: "handle")) var agent: String?
    @Flag(help: "Print the report as JSON.") var json = false
    @Flag(help: "Print the breakdown (--by) as CSV, durations in seconds.") var csv = false

    @Option(help: ArgumentHelp("Also write the report as one self-contained HTML page with charts to this file.", valueName: "file"))
    var html: String?

    func validate() throws {
        if json && csv { throw ValidationError("choose one of --json and --csv") }
    }

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            let period = try self.period.period(of: mailbox)
            let query = ReportQuery(since: period.since, until: period.until, grouping: by, agent: agent)
            let report = try ReportMaker.report(query, for: mailbox, progress: context.progressReporter("reading the history into the index"))
            if let html {
                try writePage(report, to: html, mailbox: mailbox)
                context.output.error("Wrote the report to \(html): open it in a browser, or print it")
            }
            if json {
                context.output.write(JSONOutput.encode(report))
            } else if csv {
                context.output.write(ReportCSV.render(report))
            } else {
                context.output.write(ReportRenderer(style: context.style).render(report))
            }
            // The figures are out, but without these conversations: say so, and fail.
            for problem in report.unreadable { context.output.error("parley: not counted: " + problem) }
            if !report.unreadable.isEmpty { throw ExitCode(ExitStatus.malformed) }
        }
    }

    /// The HTML page, with the no-show evaluation when outcomes were imported for the appointments use case.
    private func writePage(_ report: Report, to path: String, mailbox: Mailbox) throws {
        var query = OutcomeEvaluation.Query()
        (query.since, query.until) = (report.period.since, report.period.until)
        let evaluation = try? ReportMaker.evaluation(query, for: mailbox)
        let page = ReportPage.render(report, evaluation: evaluation, business: mailbox.config.businessName, generated: mailbox.clock.now())
        do {
            try Data(page.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw ParleyError.invalidInput("cannot write \(path): \(error.localizedDescription)")
        }
    }
}
