import ArgumentParser
import Foundation
import ParleyCore
import ParleyTUI

struct ContactEditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit",
        abstract: "Change a contact with options, or in your editor.",
        discussion: """
            With options, those fields change. Without, the contact file opens in $EDITOR;
            when you save, it is checked and committed. A file that does not pass the
            check is kept so you can fix it; nothing is committed.

            Examples:
              parley contact edit +13125550147 --timezone America/Denver
              EDITOR=nano parley contact edit +13125550147
              parley contact edit +13125550147 --file fixed-contact.md
            """)

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var customer: CustomerArgument
    @OptionGroup var fields: ContactFields
    @Option(help: ArgumentHelp("Replace the contact file with this file's content.", valueName: "path")) var file: String?

    func validate() throws {
        if file != nil && !fields.isEmpty { throw ValidationError("--file cannot be combined with field options") }
    }

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            let customer = try customer.number(in: mailbox)
            let existing = try mailbox.contacts.find(customer)
            let commit: CommitRecord?
            if let file {
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw ParleyError.invalidInput("--file: cannot read \(file)")
                }
                commit = try mailbox.contacts.replaceFile(customer, with: data)
            } else if fields.isEmpty {
                let original = try mailbox.contacts.file(customer) ?? Contact(number: customer).fileData()
                let session = try EditorSession(initialText: original, name: "contact.md")
                let edited = try session.edit(environment: context.environment)
                do {
                    commit = try mailbox.contacts.replaceFile(customer, with: edited)
                } catch {
                    throw ParleyError.invalidInput("\(error)\nnothing was committed; your edit is kept in \(session.file.path): fix it, then run "
                        + "'parley contact edit \(customer.e164) --file \(session.file.path)'")
                }
                session.discard()
            } else {
                var contact = existing ?? Contact(number: customer)
                try fields.apply(to: &contact)
                commit = try mailbox.contacts.replaceFile(customer, with: contact.fileData())
            }
            if let commit {
                context.output.line("Updated \(customer.formatted) (commit \(commit.shortID))")
            } else {
                context.output.line("No change to \(customer.formatted)")
            }
        }
    }
}
