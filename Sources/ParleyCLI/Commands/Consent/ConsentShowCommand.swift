import ArgumentParser
import Foundation
import ParleyCore
import ParleyRendering

struct ConsentShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a number's consent: the current state and every record with its commit.",
        discussion: """
            Examples:
              parley consent show "(312) 555-0147"
              parley consent show +13125550147 --json
            """)

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var customer: CustomerArgument
    @Flag(help: "Print as JSON.") var json = false

    struct JSONShape: Encodable {
        let number: String
        let state: ConsentState
        let history: [ConsentLedgerEntry]
    }

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            let customer = try customer.number(in: mailbox)
            let (state, history) = try mailbox.consent.ledger(customer)
            if json {
                context.output.write(JSONOutput.encode(JSONShape(number: customer.e164, state: state, history: history)))
                return
            }
            let style = context.style
            var status: String
            switch state.status {
            case .granted: status = style.paint("consent granted",
                .green) + (state.grant.map { " (\($0.purpose ?? "?"), \($0.method?.rawValue ?? "?"), "
                    + "\(Timestamp.format($0.time, in: context.viewerZone)))" } ?? "")
            case .none: status = style.paint("no consent on record", .yellow)
            case .revoked: status = style.paint("consent revoked", .red)
            case .optedOut: status = style.paint("opted out",
                .red) + (state.optedOutAt.map { " since \(Timestamp.format($0, in: context.viewerZone))" } ?? "")
            }
            if state.underReview { status += style.paint(" · held for review", .red) }
            context.output.line("\(style.paint(customer.formatted, .bold))  \(status)")
            if history.isEmpty {
                context.output.line("No consent records. Record one with "
                                    + "'parley consent grant \(customer.e164) --disclosure … --purpose … --method …'")
            }
            for entry in history {
                let event = entry.event
                context.output.line("")
                context.output.line("\(Timestamp.format(event.time, in: context.viewerZone))  \(style.paint(event.kind.rawValue, .bold))  by "
                    + "\(event.actor)  commit \(entry.commit.map { String($0.prefix(8)) } ?? "?")")
                let facts: [(String, String?)] = [
                    ("name", event.name), ("disclosure", event.disclosure), ("purpose", event.purpose), ("method", event.method?.rawValue),
                    ("source", event.source), ("ip", event.evidenceIP), ("url", event.evidenceURL), ("file", event.evidenceFileHash),
                    ("message", event.messageID), ("resolution", event.resolution), ("note", event.note),
                ]
                for (label, value) in facts { if let value { context.output.line("  \(TextColumns.fit(label, 11)) \(value)") } }
            }
        }
    }
}
