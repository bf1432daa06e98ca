import ArgumentParser
import Foundation
import ParleyCore
import ParleyIndex

struct AutomationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "automations",
        abstract: "Automatic texts beside the people: list, test against history, and run them.",
        discussion: """
            An automation is a file on main, automations/NAME.yaml, reviewed in Git like a
            template: a trigger (after_hours, first_inbound, appointment, closed), a template,
            its use case, limits, whether it reads the answer (confirmation, satisfaction) and
            an optional randomized holdout. parley serve runs them all; 'parley automations
            run' runs the timed ones once, for cron or a systemd timer. Every text goes
            through the same compliance gate as a person's, as agent automation:NAME.
            """,
        subcommands: [AutomationsListCommand.self, AutomationsRunCommand.self, AutomationsTestCommand.self],
        defaultSubcommand: AutomationsListCommand.self,
        aliases: ["automation"]
    )
}

struct AutomationsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Check every automation file and show what each does.",
        discussion: """
            A file that does not parse, names an unknown trigger, template or use case, a limit
            that is not a duration or a holdout share outside 0–50% is reported as
            path:line: problem (exit 65), and no automation runs until it is mended.

            Examples:
              parley automations list
              parley automations list --json
            """)

    @OptionGroup var repository: RepositoryOptions
    @Flag(help: "Print the automations as JSON.") var json = false

    struct Row: Encodable {
        let name, trigger, template: String
        let useCase: String?
        let enabled: Bool
        let before, after: String?
        let oncePerCustomer: String
        let whileWaiting: Bool
        let answers: String?
        let holdout: Double?
    }

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            let rows = try mailbox.automations.all().map { automation in
                Row(name: automation.name, trigger: automation.trigger.rawValue, template: automation.template, useCase: automation.useCase,
                    enabled: automation.enabled, before: automation.before.map(UseCase.durationText),
                    after: automation.trigger == .closed ? UseCase.durationText(automation.after) : nil,
                    oncePerCustomer: UseCase.durationText(automation.oncePerCustomer), whileWaiting: automation.whileWaiting,
                    answers: automation.answers?.rawValue, holdout: automation.holdout?.share)
            }
            context.output.list(rows, json: json, empty: "No automations (add automations/NAME.yaml on main; see docs/AUTOMATION.md).") { row in
                var when = row.trigger
                if let before = row.before { when += " \(before) before" }
                if let after = row.after { when += " \(after) after" }
                var text = context.style.paint(row.name, .bold) + (row.enabled ? "" : context.style.paint("  (off)", .dim))
                    + "  \(when) → template \(row.template)" + (row.useCase.map { " (\($0))" } ?? "")
                text += "\n  at most once per customer per \(row.oncePerCustomer)" + (row.whileWaiting ? ", even while they wait for a person" : "")
                if let answers = row.answers { text += "; reads the answer (\(answers))" }
                if let holdout = row.holdout { text += "; holds out \(Int((holdout * 100).rounded()))% at random" }
                return [text]
            }
        }
    }
}

struct AutomationsRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the timed automations once: appointments coming up, conversations closed a while ago.",
        discussion: """
            Texts what is due now (and what a stopped server or timer missed in the last 24
            hours); each customer and subject is decided once, so running it every few
            minutes is safe. The text-triggered automations (after_hours, first_inbound)
            run in parley serve as texts arrive.

            Examples:
              parley automations run
              parley automations run appointment-confirmation --json
              */5 * * * *  cd /srv/mailbox && parley automations run   (crontab)
            """)

    @OptionGroup var repository: RepositoryOptions
    @Argument(help: "Only this automation (it runs even when it is off).") var name: String?
    @Flag(help: "Print what was done as JSON.") var json = false

    struct Row: Encodable {
        let automation, number, subject, outcome: String
        let message: String?
        let detail: String
    }

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            let gateway = try context.gateway(for: mailbox)
            let runs = try await mailbox.automations.runDue(via: gateway, only: name)
            let rows = runs.map { run in
                var message: String?
                if case .sent(let result) = run.decision { message = result.message.id }
                return Row(automation: run.automation, number: run.number.e164, subject: run.subject, outcome: run.outcome, message: message,
                           detail: run.summary)
            }
            context.output.list(rows, json: json, empty: "Nothing due.") { [$0.detail] }
            for run in runs {
                if case .inDoubt = run.decision {
                    context.output.error("parley: warning: a text of \(run.automation) to \(run.number.e164) may have gone: "
                        + "'parley outbox reconcile' settles it; no run sends it again")
                }
                if case .sent(let result) = run.decision, let problem = result.recordProblem {
                    context.output.error("parley: warning: \(result.message.id) was sent but could not be recorded: \(problem); "
                        + "run 'parley outbox reconcile'")
                }
            }
            if runs.contains(where: { if case .failed = $0.decision { true } else { false } }) { throw ExitCode(ExitStatus.failure) }
        }
    }
}

struct AutomationsTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Replay an automation against the records' history: what it would have sent, and what the gate would have refused.",
        discussion: """
            Nothing is sent or written. Each trigger in the period is taken in time order;
            the limits see the history and the automation's own earlier texts; the send gate
            judges each text on the state as it was (consent, the customer's latest text,
            earlier sends), with today's template and tone guide; the holdout draws as it
            would. Works on an automation that is off, so it can be tried before it goes live.

            Examples:
              parley automations test after-hours --since 2026-11-01
              parley automations test appointment-confirmation --since 2026-11-01 --until 2026-12-01 --json
            """)

    @OptionGroup var repository: RepositoryOptions
    @Argument(help: "The automation.") var name: String
    @OptionGroup var period: PeriodOptions
    @Flag(help: "Print every would-be text as JSON.") var json = false

    func validate() throws {
        guard period.since != nil else { throw ValidationError("--since is required: the day the replay starts (YYYY-MM-DD)") }
    }

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            let automation = try mailbox.automations.named(name)
            let (since, until) = try period.period(of: mailbox)
            let items = try AutomationDryRun.run(automation, on: mailbox, since: since!, until: until)
            if json {
                context.output.write(JSONOutput.encode(items))
                return
            }
            let zone = TimeZone(identifier: mailbox.config.timeZone) ?? .current
            for item in items {
                let decision: String = switch item.decision {
                case .send: context.style.paint("would send", .green)
                case .heldOut: "held out"
                case .limited: context.style.paint("limited", .dim)
                case .refused: context.style.paint("refused", .red)
                }
                context.output.line("\(Timestamp.format(item.time, in: zone))  \(item.number)  \(decision)" + (item.detail.map { ": \($0)" } ?? ""))
                if item.decision == .send { context.output.line("    \(item.body)") }
            }
            let count = { (decision: AutomationDryRun.Item.Decision) in items.filter { $0.decision == decision }.count }
            context.output.line("\(items.count) trigger\(items.count == 1 ? "" : "s"): \(count(.send)) would be sent, \(count(.heldOut)) held out, "
                + "\(count(.limited)) stopped by a limit, \(count(.refused)) refused by the gate. Nothing was sent or written.")
        }
    }
}
