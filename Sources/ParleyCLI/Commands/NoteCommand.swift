import ArgumentParser
import Foundation
import ParleyCore
import ParleyTUI

struct NoteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "note",
        abstract: "Add an internal note to a conversation: never sent, shown in the thread.",
        discussion: """
            '@handle' in the note mentions an agent: the conversation then shows in
            their 'parley inbox --mine' until it is closed. Without TEXT the note is
            written in $EDITOR (lines starting with # are left out).

            Examples:
              parley note +13125550147 "Asked for a Saturday slot; @sam can you check?"
              parley note +13125550147
            """)

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var customer: CustomerArgument
    @Argument(help: "The note (default: write it in $EDITOR).") var text: String?
    @Flag(help: "Print the result as JSON.") var json = false

    struct JSONShape: Encodable {
        let commit: String
        let mentions: [String]
    }

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            let number = try customer.number(in: mailbox)
            var editor: EditorSession?
            let body: String
            if let text {
                body = text
            } else {
                let session = try EditorSession(initialText: Data("\n# Your note on \(number.formatted); @name mentions an agent.\n".utf8),
                                                name: "note.md")
                editor = session
                body = String(decoding: try session.edit(environment: context.environment), as: UTF8.self)
                    .split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("#") }.joined(separator: "\n")
            }
            guard case .changed(let commit, _) = try mailbox.triage.note(number, body) else { return }
            editor?.discard()
            let mentions = Mentions.handles(in: body)
            if json { return context.output.write(JSONOutput.encode(JSONShape(commit: commit.id, mentions: mentions))) }
            context.output.line("Noted (commit \(commit.shortID))" + (mentions.isEmpty ? "" : " for " + mentions.map { "@\($0)" }.joined(separator: ", ")))
            for handle in mentions where !mailbox.config.agents.isEmpty && mailbox.config.agents[handle] == nil {
                context.output.error("parley: note: '@\(handle)' is not among the agents in parley.yaml")
            }
        }
    }
}
