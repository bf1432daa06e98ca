import ArgumentParser
import Foundation
import ParleyCore
import ParleyGitStore

struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Share the mailbox through a Git remote: fetch, merge, push.",
        discussion: """
            Messages, receipts, events and consent records are separate files, so clones
            merge without conflicts whatever order they sync in. A change to a hand-edited
            file (template, tone guide, contact, parley.yaml) made both here and on the hub
            that does not combine stops the sync before anything changes; the message names
            the files and how to resolve them with Git. A push refused because someone
            pushed first is merged and retried.

            Authentication: the SSH agent (SSH_AUTH_SOCK) or a key file (PARLEY_SSH_KEY,
            else ~/.ssh/id_ed25519); SSH hosts must be in ~/.ssh/known_hosts. For https a
            token in PARLEY_GIT_TOKEN (and PARLEY_GIT_USERNAME), from the environment or
            ~/.config/parley/credentials.

            Examples:
              parley sync
              parley sync --status
              parley sync --remote hub --no-push
            """)

    @OptionGroup var repository: RepositoryOptions
    @Option(help: "The remote to sync with.") var remote = "origin"
    @Flag(help: "Fetch and show where this clone stands, without merging or pushing.") var status = false
    @Flag(help: "Fetch and merge, but do not push.") var noPush = false
    @Flag(help: "Print the result as JSON.") var json = false

    /// "1 commit", "3 commits".
    static func commits(_ count: Int) -> String { "\(count) commit\(count == 1 ? "" : "s")" }

    func run() async throws {
        try await reporting {
            let context = try CommandContext()
            let store = try context.openStore(repository)
            let mailbox = try context.openMailbox(on: store)  // only a Parley mailbox is synced
            let authentication = store.remoteAuthentication(remote: remote, environment: context.environment, secret: try context.secrets(for: store))
            if status {
                let state = try store.syncStatus(remote: remote, authentication: authentication)
                if json {
                    context.output.write(JSONOutput.encode(StatusJSON(state)))
                    return
                }
                context.output.line("\(state.branch) ↔ \(state.remote)/\(state.branch) (\(state.remoteURL))")
                context.output.line("  \(state.ahead) commit\(state.ahead == 1 ? "" : "s") to push, \(state.behind) to receive")
                for entry in state.outgoing.prefix(10) { context.output.line("  ↑ \(entry.summary)") }
                for entry in state.incoming.prefix(10) { context.output.line("  ↓ \(entry.summary)") }
                if !state.incomingPaths.isEmpty {
                    let handEdited = state.incomingPaths.filter { !MailboxLayout.isRecordPath($0) }
                    context.output.line("  \(state.incomingPaths.count) file\(state.incomingPaths.count == 1 ? "" : "s") changed on the "
                        + "hub" + (handEdited.isEmpty ? "" : ", among them " + handEdited.joined(separator: ", ")))
                }
                return
            }
            let report = try store.sync(remote: remote, authentication: authentication, push: !noPush, clock: mailbox.clock)
            if json {
                context.output.write(JSONOutput.encode(ReportJSON(report)))
                return
            }
            switch report.merge {
            case .upToDate: context.output.line("Up to date with \(report.remote)/\(report.branch)")
            case .fastForward(let commit):
                context.output.line("Received \(Self.commits(report.received)) from \(report.remote) (now at \(commit.prefix(8)))")
            case .merged(let commit):
                context.output.line("Merged \(Self.commits(report.received)) from \(report.remote) (merge \(commit.prefix(8)))")
            }
            if report.sent > 0 { context.output.line("Pushed \(report.sent) commit\(report.sent == 1 ? "" : "s") to "
                + "\(report.remote)" + (report.retries > 0 ? " after \(report.retries) retr\(report.retries == 1 ? "y" : "ies") (someone pushed "
                    + "first)" : "")) }
            for path in report.keptLocalEdits { context.output.error("parley: note: \(path) has uncommitted edits; they were left as they are") }
        }
    }

    struct StatusJSON: Encodable {
        let remote: String, branch: String, url: String, ahead: Int, behind: Int
        let incoming: [String], outgoing: [String], incomingPaths: [String]
        init(_ status: SyncStatus) {
            remote = status.remote; branch = status.branch; url = status.remoteURL; ahead = status.ahead; behind = status.behind
            incoming = status.incoming.map(\.summary); outgoing = status.outgoing.map(\.summary); incomingPaths = status.incomingPaths
        }
    }

    struct ReportJSON: Encodable {
        let remote: String, branch: String, received: Int, sent: Int, merge: String, commit: String?, retries: Int
        init(_ report: SyncReport) {
            remote = report.remote; branch = report.branch; received = report.received; sent = report.sent; retries = report.retries
            switch report.merge {
            case .upToDate: merge = "up-to-date"; commit = nil
            case .fastForward(let id): merge = "fast-forward"; commit = id
            case .merged(let id): merge = "merge"; commit = id
            }
        }
    }
}

struct CloneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clone",
        abstract: "Set up a new team member's clone of the mailbox.",
        discussion: """
            Examples:
              parley clone git@git.example.com:clinic/mailbox.git
              parley clone https://git.example.com/clinic/mailbox.git front-desk
              parley clone /srv/git/mailbox.git
            """)

    @Argument(help: "The hub's URL (file path, ssh or https).") var url: String
    @Argument(help: "The folder to create (default: the repository's name).") var directory: String?

    func run() async throws {
        try await reporting {
            let context = try CommandContext()
            let name = directory ?? ((url as NSString).lastPathComponent.replacingOccurrences(of: ".git", with: ""))
            guard !FileManager.default.fileExists(atPath: name) else {
                throw ParleyError.alreadyExists("\(name) exists already; give another folder: parley clone URL DIR")
            }
            let credentials = try context.credentials(repositoryRoot: nil)
            let store = try GitMailboxStore.clone(
                url: url, to: name,
                authentication: RemoteAccess.authentication(environment: context.environment, secret: { credentials[$0] }, remoteURL: url))
            guard try store.snapshot().read(MailboxLayout.configFile) != nil else {
                throw ParleyError.noMailbox("cloned \(url) into \(name), but it is not a Parley mailbox (no parley.yaml)")
            }
            context.output.line("Cloned the mailbox into \(store.rootDirectory)")
            context.output.line("Next: cd \(name) && parley inbox; share your work with parley sync")
        }
    }
}
