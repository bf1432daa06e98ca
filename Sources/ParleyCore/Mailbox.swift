import Foundation

/// A mailbox: its settings, the store holding its files, the clock every
/// time-dependent rule reads and the agent acting on it. Commands build one
/// and call a function on it; tests call the same functions.
public final class Mailbox: Sendable {
    public let store: any MailboxStore
    public let config: MailboxConfig
    public let clock: ParleyClock
    public let agent: Agent
    /// Built once from the configured revocation phrases: ingest classifies every inbound message.
    let keywords: KeywordClassifier

    public init(store: any MailboxStore, config: MailboxConfig, clock: ParleyClock, agent: Agent) {
        self.store = store
        self.config = config
        self.clock = clock
        self.agent = agent
        keywords = KeywordClassifier(extraRevocationPhrases: config.compliance.revocationPhrases)
    }

    /// Opens the mailbox in `store`: reads and checks `parley.yaml` at the tip.
    public static func open(store: any MailboxStore, clock: ParleyClock, agent: Agent, location: String) throws(ParleyError) -> Mailbox {
        guard let data = try store.snapshot().read(MailboxLayout.configFile) else {
            throw .noMailbox("\(location) is a Git repository but not a Parley mailbox (no committed \(MailboxLayout.configFile)); "
                + "run 'parley init' to make one")
        }
        let config = try MailboxConfig.parse(data)
        try store.prepare(format: config.format, time: clock.now())
        return Mailbox(store: store, config: config, clock: clock, agent: agent)
    }

    /// Parses a number typed by a person with the mailbox's default country.
    public func parseNumber(_ text: String) throws(ParleyError) -> PhoneNumber {
        do {
            return try PhoneNumber.parse(text, defaultRegion: config.defaultCountry)
        } catch {
            throw .invalidInput(error.description)
        }
    }

    /// Builds a commit authored by this mailbox's agent at the clock's time.
    func change(_ files: [String: Data?], _ message: CommitMessage) -> StoreChange {
        StoreChange(files: files, message: message.text, author: agent, time: clock.now())
    }

    /// A new message id that sorts after every message already stored with
    /// `number`, so messages made under a pinned clock keep their order.
    func nextMessageID(with number: PhoneNumber, in snapshot: any StoreSnapshot, at time: Date) throws(ParleyError) -> String {
        let stored = try snapshot.list(MailboxLayout.messagesDirectory(number))?
            .compactMap { MailboxLayout.messageID(fromFileName: $0.name).flatMap(ULID.init) }.max()
        return ULID.after(stored, time: time).string
    }

    /// The contact's display name for messages and commit subjects.
    func label(_ number: PhoneNumber, in snapshot: any StoreSnapshot) -> String {
        if let data = try? snapshot.read(MailboxLayout.contactPath(number)),
            let contact = try? Contact.parse(data, path: MailboxLayout.contactPath(number)), let name = contact.name
        {
            return "\(name) (\(number.e164))"
        }
        return number.e164
    }

    // MARK: - The rooms of its work (MailboxFeature)

    public var sending: Sending { Sending(self) }
    public var outbox: Outbox { Outbox(self) }
    public var inbound: Inbound { Inbound(self) }
    public var consent: ConsentLedger { ConsentLedger(self) }
    public var consentExport: ConsentExport { ConsentExport(self) }
    public var contacts: ContactBook { ContactBook(self) }
    public var conversations: Conversations { Conversations(self) }
    public var templates: Templates { Templates(self) }
    public var triage: Triage { Triage(self) }
    public var approvals: Approvals { Approvals(self) }
    public var lines: Lines { Lines(self) }
    public var deliverability: Deliverability { Deliverability(self) }
    public var campaignDraft: CampaignDraft { CampaignDraft(self) }
    public var automations: Automations { Automations(self) }

    // MARK: - A new mailbox

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
