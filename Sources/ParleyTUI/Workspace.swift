import Foundation
import ParleyCore
import ParleyIndex
import ParleyRendering

/// `parley tui`: the inbox and the open thread on one screen, worked with
/// single keys. Every action is the same mailbox operation the commands
/// run (a send goes through the gate; a refusal is shown in place with its
/// way out), and the screen refreshes by itself when the records branch
/// moves (a webhook stored by `parley serve`, a sync).
public final class Workspace {
    /// What the bottom line is doing: nothing, reading a line of text, or showing a refusal.
    enum Mode {
        case browse
        case prompt(Prompt, String)
        case refusal(RuleVerdict, PhoneNumber, OutgoingMessage)
    }

    /// What a line of text typed at the bottom is for.
    enum Prompt: Equatable {
        case reply, assign, tag, close, snooze, note, search, reject, review
        case override(ComplianceRule)
        /// Reply from a template: its name, then `variable=value` (quotes around a value with spaces).
        case template(names: String)

        var label: String {
            switch self {
            case .reply: "Reply"
            case .assign: "Assign to (handle, then an optional note)"
            case .tag: "Tags"
            case .close: "Close with outcome (empty: none)"
            case .snooze: "Snooze for (30m, 2h, 1d) or 'reply'"
            case .note: "Note (@name mentions)"
            case .search: "Search"
            case .reject: "Return to its author because"
            case .review: "Review: k keep, o opt out"
            case .override(let rule): "Override \(rule.rawValue) because"
            case .template(let names): "Template (\(names)) and name=value"
            }
        }
    }

    enum View { case inbox, approvals, search(String) }

    let mailbox: Mailbox
    let gateway: any Gateway
    let environment: [String: String]
    /// Signs approvals under `review.require_signed`.
    let signingKey: SSHSignature.SigningKey?
    let terminal: Terminal
    var list = WorkspaceList()
    var view = View.inbox
    var mode = Mode.browse
    var status: (text: String, tone: Terminal.Tone) = ("", .normal)
    var threadLines: [String] = []
    var revision: String?
    /// A refused reply waiting for its way out (an override's reason).
    var pending: (number: PhoneNumber, outgoing: OutgoingMessage)?
    var running = true
    /// Screens smaller than this cannot show a thread beside the inbox.
    static let minimumSize = (columns: 80, rows: 24)

    /// Opens the workspace on `mailbox`; fails on a terminal smaller than 80×24.
    public init(mailbox: Mailbox, gateway: any Gateway, environment: [String: String],
                signingKey: SSHSignature.SigningKey? = nil) throws(ParleyError) {
        self.signingKey = signingKey
        self.mailbox = mailbox
        self.gateway = gateway
        self.environment = environment
        terminal = Terminal(noColor: environment["NO_COLOR"].map { !$0.isEmpty } ?? false, pollMilliseconds: 400)
        guard terminal.columns >= Self.minimumSize.columns, terminal.rows >= Self.minimumSize.rows else {
            let size = "\(terminal.columns)×\(terminal.rows)"
            terminal.stop()
            throw .invalidInput("the terminal is \(size); parley tui needs at least 80×24 (make the window larger)")
        }
    }

    /// Runs until `q`, giving the terminal back however it ends.
    public func run() async {
        defer { terminal.stop() }
        reload(force: true)
        while running {
            draw()
            if let key = terminal.readKey() {
                await handle(key)
            } else {
                reload(force: false)
            }
        }
    }

    // MARK: - Reading the mailbox

    /// Reads the inbox (or the approvals) and the selected thread again when the records branch moved, or when `force`.
    func reload(force: Bool) {
        do {
            let current = try mailbox.store.snapshot().revision
            guard force || current != revision else { return }
            revision = current
            switch view {
            case .inbox: list.replace(with: WorkspaceList.inbox(try mailbox.conversations.inbox()))
            case .approvals: list.replace(with: WorkspaceList.approvals(try mailbox.approvals.waiting()))
            case .search(let text): list.replace(with: WorkspaceList.hits(try MessageSearch(text: text).results(in: mailbox), for: text))
            }
            loadThread()
        } catch {
            say("\(error)", .red)
        }
    }

    func loadThread() {
        guard let number = list.selection?.number else {
            threadLines = []
            return
        }
        do {
            let conversation = try mailbox.conversations.conversation(number)
            let renderer = ThreadRenderer(viewerZone: TimeZone(identifier: environment["TZ"] ?? "") ?? .current, style: .plain,
                                          businessName: mailbox.config.businessName)
            threadLines = renderer.render(conversation).components(separatedBy: "\n")
        } catch {
            threadLines = ["\(error)"]
        }
    }

    func say(_ text: String, _ tone: Terminal.Tone = .normal) { status = (text, tone) }
}
