import ArgumentParser
import Foundation
import ParleyCore
import ParleyReportHTML
import ParleyIndex
import ParleyRendering

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Replay the history against the rules: consent, opt-outs, quiet hours, first contact, hand-made commits.",
        discussion: """
            Checks, from the repository alone, every message a person sent (consent on
            record or the reply window, no opt-out or open review, quiet hours in the
            recipient's local time, the first message's identification), every opt-out
            (nothing after it but one confirmation until an opt-in), every receipt (it
            belongs to a message) and every commit (records changed without Parley's
            trailers are listed). Overrides are listed with who and why. Exit status 0
            when clean, 1 with findings. docs/COMPLIANCE.md, "Audit", says what each
            rule checks.

            Examples:
              parley audit
              parley audit --since 2026-01-01 --until 2026-04-01
              parley audit --json > audit.json
              parley audit --since 2026-03-01 --html audit-march.html
            """)

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var period: PeriodOptions
    @Flag(help: "Print the result as JSON.") var json = false
    @Option(help: ArgumentHelp("Also write the result as one self-contained HTML page to this file.", valueName: "file")) var html: String?

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            let period = try self.period.period(of: mailbox)
            let report = try Auditor.audit(mailbox, since: period.since, until: period.until,
                                           progress: context.progressReporter("reading the history into the index"))
            if let html {
                let page = AuditPage.render(report, business: mailbox.config.businessName, generated: mailbox.clock.now())
                do {
                    try Data(page.utf8).write(to: URL(fileURLWithPath: html), options: .atomic)
                } catch {
                    throw ParleyError.invalidInput("cannot write \(html): \(error.localizedDescription)")
                }
                context.output.error("Wrote the audit to \(html)")
            }
            context.output.write(json ? JSONOutput.encode(report) : AuditRenderer(style: context.style).render(report))
            for problem in report.unreadable { context.output.error("parley: not audited: " + problem) }
            if !report.unreadable.isEmpty { throw ExitCode(ExitStatus.malformed) }
            if !report.isClean { throw ExitCode(ExitStatus.failure) }
        }
    }
}
