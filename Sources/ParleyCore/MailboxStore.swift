import Foundation

/// Where a mailbox's files live: the Git repository in production, a
/// dictionary in unit tests. Both pass one contract test suite.
///
/// The store knows files and commits, not messages: the Core decides what
/// to write, the store makes it one atomic commit.
public protocol MailboxStore: AnyObject, Sendable {
    /// A read-only view of the latest commit (empty before the first one).
    func snapshot() throws(ParleyError) -> any StoreSnapshot

    /// A read-only view of an earlier commit, by id.
    func snapshot(at revision: String) throws(ParleyError) -> any StoreSnapshot

    /// Runs `transaction` against the latest commit and commits the changes
    /// it returns as one commit; returns nil when it returns nil or changes
    /// nothing. When another writer moved the tip meanwhile, the
    /// transaction runs again on the new tip, so no writer loses a commit.
    func commit(_ transaction: (any StoreSnapshot) throws(ParleyError) -> StoreChange?) throws(ParleyError) -> CommitRecord?

    /// Sets up what a mailbox of `format` needs before Parley writes to it
    /// (format 2: the records branch, taken from the hub when a clone has
    /// it). Idempotent; a store with one namespace has nothing to do.
    func prepare(format: Int, time: Date) throws(ParleyError)

    /// Commits newest first, only those touching one of `paths` when given.
    func history(touching paths: [String], limit: Int?) throws(ParleyError) -> [HistoryEntry]

    /// Walks the history of the records up to `snapshot`, newest first,
    /// stopping at `known` (the id a previous walk returned), and gives each
    /// commit with the conversations it changed, as `git log -- FOLDER`
    /// counts them (a merge only when it differs from every parent). When
    /// `known` is not in that history, `restart` is called and everything
    /// is walked. Returns the id to pass as `known` next time.
    func walkConversationChanges(
        at snapshot: any StoreSnapshot, after known: String?, restart: () throws(ParleyError) -> Void,
        _ body: (ConversationChange) throws(ParleyError) -> Void
    ) throws(ParleyError) -> String?

    /// The commits with these ids, in the same order.
    func historyEntries(_ ids: [String]) throws(ParleyError) -> [HistoryEntry]

    /// Every commit of the records history up to `snapshot`, in no set
    /// order, with its message. A commit without a `Parley-Action` trailer—made by
    /// hand or by another tool—also gives the files it changed (a merge:
    /// those that differ from every parent), for `parley audit`.
    func walkRecordCommits(at snapshot: any StoreSnapshot, _ body: (RecordCommit) throws(ParleyError) -> Void) throws(ParleyError)

    /// Writes the records history again without what `scope` names—in
    /// every commit that held it, and in every commit message—then commits
    /// the change `record` makes of the tally on top, moving the branch once.
    /// Local data derived from the old history (the index) is dropped.
    func erase(_ scope: ErasureScope, record: (ErasureTally) throws(ParleyError) -> StoreChange) throws(ParleyError) -> ErasureTally

    /// The derived read index of this store (`.git/parley/index.sqlite`
    /// for Git; in memory otherwise), opened once and kept.
    func index() throws(ParleyError) -> any DerivedIndex

    /// The file as a person left it in the work tree, edited or not; nil
    /// when the store has no work tree (bare, in memory) or no such file.
    func workTreeContents(_ path: String) -> Data?

    /// A commit's signature and the text it signs; nil for an unsigned
    /// commit, or a store that keeps no signatures.
    func commitSignature(_ id: String) throws(ParleyError) -> (signature: String, signedData: Data)?
}

extension MailboxStore {
    public func workTreeContents(_ path: String) -> Data? { nil }

    public func commitSignature(_ id: String) throws(ParleyError) -> (signature: String, signedData: Data)? { nil }
}

/// One commit of the records history and the conversations it changed.
public struct ConversationChange: Sendable {
    public let commit: String
    public let numbers: [PhoneNumber]

    public init(commit: String, numbers: [PhoneNumber]) {
        self.commit = commit
        self.numbers = numbers
    }
}

/// One commit of the records history, as an audit walks it.
public struct RecordCommit: Sendable {
    public let entry: HistoryEntry
    /// The message's trailers, read once.
    public let trailers: [(Trailer, String)]
    /// Set only for a commit without Parley's trailers.
    public let changedFiles: [String]?

    public init(entry: HistoryEntry, trailers: [(Trailer, String)], changedFiles: [String]?) {
        self.entry = entry
        self.trailers = trailers
        self.changedFiles = changedFiles
    }

    /// Whether Parley wrote it: every Parley commit names its action.
    public static func isParleys(_ trailers: [(Trailer, String)]) -> Bool {
        trailers.contains { $0.0 == .action }
    }
}

/// A read-only view of one commit.
public protocol StoreSnapshot: Sendable {
    /// The commit id, nil before the first commit.
    var revision: String? { get }
    func read(_ path: String) throws(ParleyError) -> Data?
    /// The entries of a directory in name order, nil when it does not exist.
    func list(_ directory: String) throws(ParleyError) -> [StoreEntry]?
    /// An id that changes whenever anything under `path` changes (a Git
    /// tree or blob id), nil when the store has none; used as a cache key.
    func contentID(_ path: String) throws(ParleyError) -> String?
    /// The same state `count` times, each copy safe to read on a thread of
    /// its own while the others read: what lets a rebuild of the derived
    /// index read conversations in parallel. A store whose reads do not
    /// wait on each other returns itself.
    func concurrentReaders(_ count: Int) throws(ParleyError) -> [any StoreSnapshot]
    /// The file `entry` of `list(directory)`: read by its content id where
    /// the store has one, instead of walking from the root to it again (a
    /// reader of every file pays that walk millions of times).
    func read(_ entry: StoreEntry, in directory: String) throws(ParleyError) -> Data?
    /// The folder `entry` of `list(directory)`, listed as `read(_:in:)` reads.
    func list(_ entry: StoreEntry, in directory: String) throws(ParleyError) -> [StoreEntry]?
}

extension StoreSnapshot {
    public func read(_ entry: StoreEntry, in directory: String) throws(ParleyError) -> Data? {
        entry.isDirectory ? nil : try read(entry.path(in: directory))
    }

    public func list(_ entry: StoreEntry, in directory: String) throws(ParleyError) -> [StoreEntry]? {
        entry.isDirectory ? try list(entry.path(in: directory)) : nil
    }

    public func concurrentReaders(_ count: Int) throws(ParleyError) -> [any StoreSnapshot] {
        Array(repeating: self, count: count)
    }
}

public struct StoreEntry: Equatable, Sendable {
    public let name: String
    public let isDirectory: Bool
    public let contentID: String?

    public init(name: String, isDirectory: Bool, contentID: String?) {
        self.name = name
        self.isDirectory = isDirectory
        self.contentID = contentID
    }

    /// Where the entry is, given the directory it was listed in.
    public func path(in directory: String) -> String {
        directory.isEmpty ? name : directory + "/" + name
    }
}

/// The files one commit writes (data) or deletes (nil), with its message
/// and author.
public struct StoreChange: Sendable {
    public var files: [String: Data?]
    public var message: String
    public var author: Agent
    public var time: Date
    /// Signs the commit's text (an approval under `review.require_signed`); nil: unsigned.
    public var sign: (@Sendable (Data) throws -> String)?

    public init(files: [String: Data?], message: String, author: Agent, time: Date) {
        self.files = files
        self.message = message
        self.author = author
        self.time = time
    }

    /// The same commit with other files: one change split between branches.
    public func with(files: [String: Data?]) -> StoreChange {
        var copy = self
        copy.files = files
        return copy
    }
}

public struct CommitRecord: Sendable, Equatable {
    public let id: String
    /// Work tree files that had uncommitted edits and were left alone.
    public let keptLocalEdits: [String]
    /// What could not be tidied up after the commit was published (the
    /// work tree or index of this clone); the commit itself stands.
    public let warnings: [String]

    public init(id: String, keptLocalEdits: [String] = [], warnings: [String] = []) {
        self.id = id
        self.keptLocalEdits = keptLocalEdits
        self.warnings = warnings
    }

    public var shortID: String { String(id.prefix(8)) }
}

public struct HistoryEntry: Sendable, Equatable, Codable {
    public let id: String
    public let authorName: String
    public let authorEmail: String
    public let time: Date
    public let message: String

    public init(id: String, authorName: String, authorEmail: String, time: Date, message: String) {
        self.id = id
        self.authorName = authorName
        self.authorEmail = authorEmail
        self.time = time
        self.message = message
    }

    public var summary: String { String(message.prefix { $0 != "\n" }) }

    /// The value of a `Key: value` trailer, the last one when repeated.
    public func trailer(_ key: Trailer) -> String? {
        CommitMessage.trailers(in: message).last { $0.0 == key }?.1
    }

    /// What the commit did; nil for a commit Parley did not make.
    public var action: CommitAction? { trailer(.action).flatMap(CommitAction.init(rawValue:)) }
}
