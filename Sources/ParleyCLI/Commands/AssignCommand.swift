import ArgumentParser
import ParleyCore

struct AssignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assign",
        abstract: "Assign a conversation to an agent (or to nobody).",
        discussion: """
            Examples:
              parley assign +13125550147 sam
              parley assign +13125550147 --me
              parley assign +13125550147 --none
              parley assign +13125550147 sam --note "Billing question; she prefers mornings"
            """)

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var customer: CustomerArgument
    @Argument(help: "The agent's handle.") var agent: String?
    @Flag(help: "Assign it to yourself.") var me = false
    @Flag(help: "Remove the assignment.") var none = false
    @Option(help: "Why: a handoff note, shown in the thread (@name mentions an agent).") var note: String?

    func validate() throws {
        let choices = [agent != nil, me, none].filter { $0 }.count
        guard choices == 1 else { throw ValidationError("give exactly one of AGENT, --me or --none") }
    }

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            let target = none ? nil : (me ? mailbox.agent.handle : agent!.lowercased())
            let outcome = try mailbox.triage.assign(customer.number(in: mailbox), to: target, note: note)
            if let target, !mailbox.config.agents.isEmpty, mailbox.config.agents[target] == nil {
                context.output.error("parley: note: '\(target)' is not among the agents in parley.yaml")
            }
            TriageReport.print(outcome, done: target.map { "Assigned to \($0)" } ?? "Unassigned",
                same: target.map { "Already assigned to \($0)" } ?? "Already unassigned", output: context.output)
        }
    }
}

/// Prints a triage outcome in one line.
enum TriageReport {
    static func print(_ outcome: TriageOutcome, done: String, same: String, output: Output) {
        switch outcome {
        case .changed(let commit, _): output.line("\(done) (commit \(commit.shortID))")
        case .unchanged: output.line("\(same); nothing changed")
        }
    }
}
