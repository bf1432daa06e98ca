import ArgumentParser
import Foundation
import ParleyCore
import ParleyIndex
import ParleyRendering

struct ReportEvaluationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluation",
        abstract: "Does texting go with better outcomes? Compares imported outcomes with the conversations before them.",
        discussion: """
            Each outcome imported with 'parley outcome import' is one appointment. The rate of
            one outcome (no-shows by default) is compared between appointments whose customer
            texted with us in the days before and those whose customer did not, and across how
            fast we answered them (business time), each with its count and 95% Wilson
            interval, and the difference with its 95% interval (Newcombe) and a two-sided
            test. The verdict says when the numbers are too few (under 30 in a group) or too
            close to conclude; who texts is not chance, so this difference is an association.
            An automation with a randomized holdout adds a second comparison: the
            appointments it texted against those it held out by chance, where a clear
            difference is evidence of the texts' effect.

            Examples:
              parley report evaluation
              parley report evaluation --outcome cancelled --days 3 --since 2026-01-01
              parley report evaluation --json
            """)

    @OptionGroup var repository: RepositoryOptions
    @Option(name: .customLong("use-case"), help: "The use case of the outcomes.") var useCase = "appointments"
    @Option(help: "The outcome whose rate is compared.") var outcome = "no-show"
    @Option(help: "How many days before an appointment a conversation counts.") var days = 7
    @OptionGroup var period: PeriodOptions
    @Flag(help: "Print the evaluation as JSON.") var json = false

    func validate() throws {
        guard (1...365).contains(days) else { throw ValidationError("--days must be 1–365") }
    }

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            var query = OutcomeEvaluation.Query()
            (query.useCase, query.outcome, query.days) = (useCase, outcome, days)
            (query.since, query.until) = try period.period(of: mailbox)
            let evaluation = try ReportMaker.evaluation(query, for: mailbox, progress: context.progressReporter("reading the history into the index"))
            if json {
                context.output.write(JSONOutput.encode(evaluation))
                return
            }
            let style = context.style
            context.output.line(style.paint("\(outcome) rate of \(useCase)", .bold) + style.paint("  count · rate · 95% interval", .dim))
            for group in evaluation.comparison { context.output.line(Self.line(group)) }
            if !evaluation.bands.isEmpty {
                context.output.line("")
                context.output.line(style.paint("Texted, by how fast we answered", .bold))
                for group in evaluation.bands { context.output.line(Self.line(group)) }
            }
            context.output.line("")
            context.output.line(evaluation.verdict)
            for randomized in evaluation.randomized {
                context.output.line("")
                let share = randomized.share.map { ", holding out \(Int(($0 * 100).rounded()))%" } ?? ""
                context.output.line(style.paint("Randomized holdout of \(randomized.automation)\(share)", .bold)
                    + style.paint("  count · rate · 95% interval", .dim))
                context.output.line(Self.line(randomized.texted))
                context.output.line(Self.line(randomized.heldOut))
                context.output.line(randomized.verdict)
            }
        }
    }

    static func line(_ group: OutcomeEvaluation.Group) -> String {
        let rate = group.rate.map { String(format: "%.1f%%", $0 * 100) } ?? "–"
        let interval = group.interval.map { String(format: "%.1f–%.1f%%", $0.low * 100, $0.high * 100) } ?? ""
        return TextColumns.fit(group.label, 46) + TextColumns.fit("\(group.withOutcome)/\(group.appointments)", 11) + TextColumns.fit(rate,
            8) + interval
    }
}
