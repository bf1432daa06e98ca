import Foundation

extension Mailbox {
    /// The `.gitignore` every mailbox starts with: editor droppings and any
    /// file that looks like a credential stay out of the history.
    public static let defaultGitignore = """
        # Written by parley init. Secrets never belong in a mailbox: keep gateway
        # credentials in the environment or a 0600 file outside this repository.
        .env
        .env.*
        *.credentials
        credentials*
        secrets/
        *.key
        *.pem
        *.p12
        *.token
        # editor and system files
        *.swp
        *~
        .DS_Store

        """

    /// Creates a mailbox in an empty store: `parley.yaml`, `.gitignore`, the
    /// tone guide and templates, in one first commit. Refuses when the store
    /// already holds a mailbox.
    public static func initialize(
        store: any MailboxStore, config: MailboxConfig, skeleton: [String: Data], clock: ParleyClock, agent: Agent
    ) throws(ParleyError) -> Mailbox {
        let mailbox = Mailbox(store: store, config: config, clock: clock, agent: agent)
        if try store.snapshot().read(MailboxLayout.configFile) != nil {
            throw .alreadyExists("a Parley mailbox already exists here (\(MailboxLayout.configFile) is committed); nothing was changed")
        }
        try store.prepare(format: config.format, time: clock.now())
        var files: [String: Data?] = skeleton
        files[MailboxLayout.configFile] = config.fileData()
        files[".gitignore"] = Data(defaultGitignore.utf8)
        let commit = try store.commit { snapshot throws(ParleyError) in
            if try snapshot.read(MailboxLayout.configFile) != nil {
                throw .alreadyExists("a Parley mailbox already exists here (\(MailboxLayout.configFile) is committed); nothing was changed")
            }
            return mailbox.change(files, CommitMessage(
                subject: "Create mailbox for \(config.businessName)",
                action: .initialize, trailers: [(.format, String(config.format))]))
        }
        guard commit != nil else { throw .storage("the first commit was not written") }
        return mailbox
    }
}
