import Foundation
import ParleyCore
import ParleyGateways
import ParleyGitStore
import ParleyRendering

/// What every command needs from the outside world, gathered in one place:
/// the environment, the clock, the output and its style, and the mailbox.
struct CommandContext {
    let environment: [String: String]
    let output: Output
    let clock: ParleyClock

    init(environment: [String: String] = ProcessInfo.processInfo.environment, output: Output = .current) throws {
        self.environment = environment
        self.output = output
        clock = try ParleyClock(environment: environment)
    }

    /// Colour only on a terminal, and never with `NO_COLOR` or `TERM=dumb`.
    var style: TextStyle {
        let disabled = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        return TextStyle(usesColor: output.isTerminal && !disabled && environment["TERM"] != "dumb")
    }

    /// The viewer's zone: `TZ` when set, else the system's.
    var viewerZone: TimeZone {
        environment["TZ"].flatMap { TimeZone(identifier: $0) } ?? TimeZone.current
    }

    /// Progress of long work on stderr, only when it is a terminal:
    /// `parley: building the index… 40/100`, redrawn in place.
    func progressReporter(_ label: String) -> IndexProgress? {
        guard output.isErrorTerminal else { return nil }
        return { done, total in
            // A total of 0 means not known yet: the count alone.
            let count = total == 0 ? "\(done)" : "\(done)/\(total)"
            FileHandle.standardError.write(Data("\rparley: \(label)… \(count)\(done == total ? "\n" : "")".utf8))
        }
    }

    /// The approver's SSH key for signed approvals: `PARLEY_SIGNING_KEY`, else
    /// Git's `user.signingkey`, each a path to an OpenSSH private key (`~` allowed); nil when neither is set.
    func signingKey(for mailbox: Mailbox) throws(ParleyError) -> SSHSignature.SigningKey? {
        let configured = environment["PARLEY_SIGNING_KEY"] ?? (mailbox.store as? GitMailboxStore)?.configString("user.signingkey")
        guard let path = configured.map({ NSString(string: $0).expandingTildeInPath }), !path.isEmpty else { return nil }
        guard let text = FileManager.default.contents(atPath: path).map({ String(decoding: $0, as: UTF8.self) }) else {
            throw .invalidInput("cannot read the signing key \(path) (PARLEY_SIGNING_KEY or git's user.signingkey)")
        }
        return try SSHSignature.SigningKey(openSSHPrivateKey: text)
    }

    /// The directory commands start from.
    var workingDirectory: String { FileManager.default.currentDirectoryPath }

    /// Finds and opens the mailbox.
    func openMailbox(_ options: RepositoryOptions) throws(ParleyError) -> Mailbox {
        try openMailbox(on: try openStore(options))
    }

    func openMailbox(on store: GitMailboxStore) throws(ParleyError) -> Mailbox {
        try Mailbox.open(
            store: store, clock: clock, agent: AgentResolver.resolve(environment: environment, store: store),
            location: store.rootDirectory)
    }

    func openStore(_ options: RepositoryOptions) throws(ParleyError) -> GitMailboxStore {
        if let path = options.path ?? environment["PARLEY_REPO"].flatMap({ $0.isEmpty ? nil : $0 }) {
            guard FileManager.default.fileExists(atPath: path) else {
                throw .noMailbox("\(path) does not exist; create a mailbox there with 'parley init \(path)'")
            }
            guard let store = try GitMailboxStore.open(at: path) else {
                throw .noMailbox("\(path) is not a Git repository; create a mailbox there with 'parley init \(path)'")
            }
            return store
        }
        guard let store = try GitMailboxStore.open(at: workingDirectory, searchParents: true) else {
            throw .noMailbox("no Parley mailbox here or in any parent folder of \(workingDirectory); run 'parley init DIR', or pass --repo PATH or "
                + "set PARLEY_REPO")
        }
        return store
    }


    /// The gateway named in `parley.yaml` (or the provider of `line`), with its secrets.
    func gateway(for mailbox: Mailbox, line: SenderLine? = nil) throws(ParleyError) -> any Gateway {
        try GatewayFactory.make(mailbox.config, line: line, credentials: credentials(for: mailbox), clock: clock)
    }

    func credentials(for mailbox: Mailbox) throws(ParleyError) -> Credentials {
        try credentials(repositoryRoot: (mailbox.store as? GitMailboxStore)?.rootDirectory)
    }

    func credentials(repositoryRoot: String?) throws(ParleyError) -> Credentials {
        try Credentials.load(environment: environment, repositoryRoot: repositoryRoot)
    }

    /// Looks a secret up in the environment and the repository's credentials file, for remote authentication.
    func secrets(for store: GitMailboxStore) throws(ParleyError) -> @Sendable (String) -> String? {
        let credentials = try credentials(repositoryRoot: store.rootDirectory)
        return { credentials[$0] }
    }
}
