import ArgumentParser
import ParleyCore

/// The contact facts a command line can set.
struct ContactFields: ParsableArguments {
    @Option(help: "The customer's name.") var name: String?
    @Option(help: "The customer's IANA time zone, e.g. America/Chicago.") var timezone: String?
    @Option(help: "US state or Canadian province code, e.g. IL (for quiet-hour rules).") var state: String?
    @Option(help: "Free-form notes.") var notes: String?

    var isEmpty: Bool { name == nil && timezone == nil && state == nil && notes == nil }

    func apply(to contact: inout Contact) throws(ParleyError) {
        if let name { contact.name = name.isEmpty ? nil : name }
        if let timezone { contact.timeZone = timezone.isEmpty ? nil : try Contact.validatedTimeZone(timezone) }
        if let state {
            let code = state.uppercased()
            guard code.isEmpty || (code.count == 2 && code.allSatisfy(\.isLetter)) else {
                throw .invalidInput("--state must be a two-letter code such as IL, not '\(state)'")
            }
            contact.state = code.isEmpty ? nil : code
        }
        if let notes { contact.notes = notes }
    }
}

struct ContactAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a contact.",
        discussion: """
            Examples:
              parley contact add "(312) 555-0147" --name "Sarah Lee" --timezone America/Chicago --state IL
              parley contact add +442079460958 --name "Tom Becker" --timezone Europe/London
            """)

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var customer: CustomerArgument
    @OptionGroup var fields: ContactFields

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            var contact = Contact(number: try customer.number(in: mailbox))
            try fields.apply(to: &contact)
            let commit = try mailbox.contacts.add(contact)
            context.output.line("Added \(contact.displayName) (\(contact.number.formatted))" + (commit.map { " (commit \($0.shortID))" } ?? ""))
        }
    }
}
