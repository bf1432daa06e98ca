import ArgumentParser
import Foundation
import ParleyCore
import ParleyRendering

struct ThreadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "thread",
        abstract: "Show a conversation as a chat.",
        discussion: """
            Times are shown in your time zone (TZ) and, when it differs, the contact's.

            Examples:
              parley thread "(312) 555-0147"
              parley thread +13125550147 --json | jq '.messages[-1].status'
            """)

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var customer: CustomerArgument
    @Flag(help: "Print the conversation as JSON.") var json = false

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            let conversation = try mailbox.conversations.conversation(customer.number(in: mailbox))
            if json {
                context.output.write(JSONOutput.encode(ThreadJSON(conversation)))
            } else {
                let renderer = ThreadRenderer(viewerZone: context.viewerZone, style: context.style, businessName: mailbox.config.businessName,
                                              lineNames: mailbox.config.lineNames)
                context.output.write(renderer.render(conversation))
            }
        }
    }
}

/// The `--json` shape of a conversation.
struct ThreadJSON: Encodable {
    struct MessageJSON: Encodable {
        let message: Message
        let status: DeliveryStatus
        let deliveries: [DeliveryRecord]
    }

    let number: String
    let contact: Contact?
    let state: ConversationState
    let messages: [MessageJSON]
    let events: [ConversationEvent]

    init(_ conversation: Conversation) {
        number = conversation.number.e164
        contact = conversation.contact
        state = conversation.state
        messages = conversation.messages.map {
            MessageJSON(message: $0, status: conversation.status(of: $0), deliveries: conversation.deliveries[$0.id] ?? [])
        }
        events = conversation.events
    }
}
