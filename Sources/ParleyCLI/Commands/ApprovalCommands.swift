import ArgumentParser
import Foundation
import ParleyCore
import ParleyTUI
import ParleyRendering

struct ApprovalsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approvals",
        abstract: "List the texts waiting for a second person's approval, oldest first.",
        discussion: """
            parley.yaml's review: section says which texts wait: every text of the
            listed agents, and first contacts, texts not from a template or texts
            that override a rule, from anyone. Another agent sends one with
            'parley approve ID' or returns it to its author with 'parley reject ID'.

            Example:
              parley approvals --json
            """)

    @OptionGroup var repository: RepositoryOptions
    @Flag(help: "Print as JSON.") var json = false

    struct Waiting: Encodable {
        let entry: OutboxEntry
        let waitingSeconds: Int
    }

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            let now = mailbox.clock.now()
            let waiting = try mailbox.approvals.waiting().map { Waiting(entry: $0, waitingSeconds: max(0, Int(now.timeIntervalSince($0.created)))) }
            context.output.list(waiting, json: json, empty: "Nothing waits for approval.") { item in
                let entry = item.entry
                let when = entry.notBefore.map { ", for \(Timestamp.format($0, in: context.viewerZone))" } ?? ""
                return ["\(entry.id)  waiting \(DurationText.short(item.waitingSeconds))  to \(entry.to.formatted)  by \(entry.agent)\(when)",
                        "    why: \(entry.review.joined(separator: "; "))" + (entry.note.map { " — \($0)" } ?? ""),
                        "    " + ConversationSummaryPreview.line(entry.body)]
            }
        }
    }
}

struct ApproveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Approve a held text: it goes through every rule again now and out, naming you as approver.",
        discussion: """
            Nobody approves their own text. With --edit you change the text first in
            $EDITOR; it is then yours, so another agent approves it. Under
            review.require_signed the approval's commit is signed with your SSH key
            (PARLEY_SIGNING_KEY, or git's user.signingkey: an ed25519 key without a
            passphrase), which allowed_signers in the mailbox must list for your address.

            Examples:
              parley approve 01KKH78MJ0F7JS25SZP10S2D9N
              parley approve 01KKH78M --edit
            """)

    @OptionGroup var repository: RepositoryOptions
    @Argument(help: "The held text's id (or its first 6+ characters), from 'parley approvals'.") var id: String
    @Flag(help: "Edit the text instead of approving it; it then waits for another agent.") var edit = false
    @Flag(help: "Print the result as JSON.") var json = false

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            if edit {
                let entry = try mailbox.approvals.waitingEntry(id)
                let session = try EditorSession(initialText: Data(entry.body.utf8), name: "message.txt")
                let body = String(decoding: try session.edit(environment: context.environment), as: UTF8.self)
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                let edited = try mailbox.approvals.edit(entry.id, body: body)
                session.discard()
                if json { return context.output.write(JSONOutput.encode(edited)) }
                return context.output.line("Edited \(edited.id): it is yours now, and waits for another agent's approval")
            }
            let key = mailbox.config.review.requireSigned ? try context.signingKey(for: mailbox) : nil
            switch try await mailbox.approvals.approve(id, via: context.gateway(for: mailbox), signingKey: key) {
            case .scheduled(let entry):
                if json { return context.output.write(JSONOutput.encode(entry)) }
                context.output.line("Approved \(entry.id); it goes at \(entry.notBefore.map { Timestamp.format($0, in: context.viewerZone) } ?? "?") "
                    + "('parley outbox flush' sends it when due)")
            case .sent(let result):
                try SendReport(result: result, style: context.style, json: json).print(to: context.output)
            }
        }
    }
}

struct RejectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reject",
        abstract: "Return a held text to its author as their draft, with the reason.",
        discussion: """
            Example:
              parley reject 01KKH78M --reason "Use the reschedule template, and sign with your name"
            """)

    @OptionGroup var repository: RepositoryOptions
    @Argument(help: "The held text's id (or its first 6+ characters).") var id: String
    @Option(help: "Why, for the author.") var reason: String

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            let entry = try mailbox.approvals.reject(id, reason: reason)
            context.output.line("Returned \(entry.id) to \(entry.agent) as their draft for \(entry.to.formatted)")
        }
    }
}
