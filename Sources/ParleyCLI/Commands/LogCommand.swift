import Foundation
import ArgumentParser
import ParleyCore
import ParleyRendering

struct LogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Show who did what when, from the commits.",
        discussion: """
            Examples:
              parley log
              parley log +13125550147 --limit 20
              parley log --json | jq '.[] | select(.action == "send")'
            """)

    @OptionGroup var repository: RepositoryOptions
    @Argument(help: "Only this customer's conversation.") var number: String?
    @Option(help: "At most this many entries.") var limit: Int?
    @Flag(help: "Print the history as JSON.") var json = false

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            let customer = try number.map { text throws(ParleyError) in try mailbox.parseNumber(text) }
            let entries = try mailbox.conversations.log(customer, limit: limit, progress: context.progressReporter("indexing the history"))
            if json {
                context.output.write(JSONOutput.encode(entries.map(LogJSON.init)))
            } else {
                context.output.write(LogRenderer(viewerZone: context.viewerZone, style: context.style).render(entries))
            }
        }
    }

    struct LogJSON: Encodable {
        let commit, author, email: String
        let time: Date
        let summary: String
        let action, number, messageID: String?

        init(_ entry: HistoryEntry) {
            commit = entry.id
            author = entry.authorName
            email = entry.authorEmail
            time = entry.time
            summary = entry.summary
            action = entry.trailer(.action)
            number = entry.trailer(.number)
            messageID = entry.trailer(.messageID)
        }
    }
}
