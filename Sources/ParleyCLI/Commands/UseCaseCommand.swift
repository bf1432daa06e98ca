import ArgumentParser
import ParleyCore

struct UseCaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "use-case",
        abstract: "Say what a conversation is about (appointments, sales, …), or list the use cases.",
        discussion: """
            A conversation opened from a template takes the template's use case; this sets
            or corrects it. Use cases, their response targets and outcomes are listed in
            parley.yaml (use_cases). Without arguments, lists them.

            Examples:
              parley use-case
              parley use-case +13125550147 sales
            """)

    @OptionGroup var repository: RepositoryOptions
    @Argument(help: "The customer's number.") var number: String?
    @Argument(help: "The use case.") var name: String?
    @Option(help: "Why, for the history.") var note: String?

    func validate() throws {
        if number != nil, name == nil { throw ValidationError("give the use case after the number, e.g. 'parley use-case +13125550147 sales'") }
    }

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            guard let number, let name else {
                for useCase in mailbox.config.monitoring.useCases {
                    let targets = [("first reply", useCase.firstResponse), ("reply", useCase.response), ("resolution", useCase.resolution)]
                        .compactMap { label, seconds in seconds.map { "\(label) \(UseCase.durationText($0))" } }
                    context.output.line("\(useCase.name): " + (targets.isEmpty ? "no targets" : targets.joined(separator: ", "))
                        + (useCase.outcomes.isEmpty ? "" : "; outcomes " + useCase.outcomes.joined(separator: ", ")))
                }
                return
            }
            TriageReport.print(try mailbox.triage.setUseCase(mailbox.parseNumber(number), to: name, note: note), done: "Use case set to \(name)",
                same: "Already \(name)", output: context.output)
        }
    }
}
