import ArgumentParser
import ParleyCore
import ParleyRendering

struct ConsentListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List numbers with their consent state.",
        discussion: """
            Examples:
              parley consent list
              parley consent list --opted-out
              parley consent list --json
            """)

    @OptionGroup var repository: RepositoryOptions
    @Flag(help: "Only numbers that opted out.") var optedOut = false
    @Flag(help: "Print as JSON.") var json = false

    struct Row: Encodable {
        let number: String
        let name: String?
        let consent: ConsentState.Status
        let underReview: Bool
    }

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            let scan = try mailbox.contacts.all()
            let rows = scan.summaries.filter { !optedOut || $0.consent.status == .optedOut }
                .map { Row(number: $0.number.e164, name: $0.name, consent: $0.consent.status, underReview: $0.consent.underReview) }
            context.output.list(rows, json: json, empty: optedOut ? "Nobody has opted out." : "No numbers yet.") { row in
                ["\(TextColumns.fit(row.number, 16)) \(TextColumns.fit(row.name ?? "", 20)) "
                    + "\(row.consent.rawValue)\(row.underReview ? ", held for review" : "")"]
            }
            try reportProblems(scan.problems, output: context.output)
        }
    }
}
