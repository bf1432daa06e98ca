import ArgumentParser
import Foundation
import ParleyCore

struct ContactShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a contact and their conversation at a glance.",
        discussion: """
            Example:
              parley contact show "(312) 555-0147"
            """)

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var customer: CustomerArgument
    @Flag(help: "Print the contact as JSON.") var json = false

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            let customer = try customer.number(in: mailbox)
            let conversation = try mailbox.conversations.conversation(customer)
            let summary = ConversationSummary(conversation)
            if json {
                context.output.write(JSONOutput.encode(ContactJSON(contact: conversation.contact, summary: summary)))
                return
            }
            let contact = conversation.contact ?? Contact(number: customer)
            let style = context.style
            context.output.line(style.paint(contact.displayName, .bold) + "  " + customer.formatted)
            context.output.line("  time zone  \(contact.timeZone ?? "not set")")
            context.output.line("  state      \(contact.state ?? "not set")")
            context.output.line("  messages   \(summary.messageCount)" + (summary.lastMessage.map { ", last "
                + "\(Timestamp.format($0.time, in: context.viewerZone))" } ?? ""))
            context.output.line("  assigned   \(summary.state.assignee ?? "nobody")" + (summary.state.tags.isEmpty ? ""
                : " · tags: " + summary.state.tags.joined(separator: ", ")))
            if !contact.notes.isEmpty {
                context.output.line("")
                context.output.line(contact.notes)
            }
        }
    }

    struct ContactJSON: Encodable {
        let contact: Contact?
        let summary: ConversationSummary
    }
}
