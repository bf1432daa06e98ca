import Foundation
import GRDB
import ParleyCore
import Synchronization

/// The derived read index (format 2): a SQLite database beside the
/// repository, never committed, that answers the inbox, the contact list,
/// the review queue and search without scanning the tree.
///
/// Git stays the only truth. The index records the revision it was built
/// at and, before every read, catches up inside one transaction: a bucket
/// (`conversations/NN`) whose tree id changed is listed again, and a
/// conversation whose tree id changed is summarised again—so a write costs
/// one bucket listing and one conversation, not the whole mailbox. Deleting
/// the file, an older schema or a corrupt file only means a rebuild.
public final class MailboxIndex: @unchecked Sendable {
    /// Bump when the tables change: an index of another version is rebuilt.
    static let schemaVersion = "22"

    /// Replaced by a fresh file when SQLite finds the old one damaged.
    private var database: DatabaseQueue
    private let lock = NSLock()
    /// Where the file lives, nil for an in-memory index.
    public let path: String?

    /// Opens (or creates) the index at `path`; in memory when nil.
    public init(path: String?) throws(ParleyError) {
        self.path = path
        do {
            database = try Self.openDatabase(path)
        } catch {
            // A file SQLite cannot read is only a cache: start again.
            guard let path else { throw .storage("cannot open an in-memory index: \(error)") }
            database = try Self.recreate(path)
        }
    }

    /// Deletes the file with its write-ahead log and shared memory (left by
    /// another process, or belonging to a file someone deleted) and opens anew.
    private static func recreate(_ path: String) throws(ParleyError) -> DatabaseQueue {
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        do { return try openDatabase(path) } catch { throw .storage("cannot create the index at \(path): \(error)") }
    }

    private static func openDatabase(_ path: String?) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        // A cache: a write-ahead log without an fsync per transaction keeps
        // writers cheap; a kill leaves the last committed state, and a
        // damaged file is rebuilt.
        configuration.prepareDatabase { db in
            if db.configuration.readonly == false, path != nil {
                try db.execute(sql: "PRAGMA journal_mode = WAL")
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                // 64 MiB of pages instead of SQLite's 2 MiB: a first index at a million
                // messages inserts into several B-trees at random places, and with
                // the default each insert read pages back from the log (first search 57-60 s, now 48-53 s).
                try db.execute(sql: "PRAGMA cache_size = -65536")
            }
        }
        let queue: DatabaseQueue
        if let path {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            queue = try DatabaseQueue(path: path, configuration: configuration)
        } else {
            queue = try DatabaseQueue(configuration: configuration)
        }
        try queue.write { db in try IndexSchema.prepare(db, version: schemaVersion) }
        return queue
    }

    /// How much of each changed conversation a read needs beyond its summary.
    package enum Details: Sendable {
        /// The summaries alone (the inbox, a writer's update).
        case none
        /// Messages and notes with their text: what search reads. A first
        /// search in a new clone reads 1.2 of the 2.9 million files at a
        /// million messages, and leaves receipts, consent and the report's
        /// facts to the first report.
        case texts
        /// Every record and the report's facts (reports, audit, check).
        case all
    }

    /// Runs `body` on the index brought up to `snapshot`, in one
    /// transaction, so what it reads is one consistent state, with the
    /// `details` of conversations that changed indexed too.
    package func read<T>(at snapshot: any StoreSnapshot, details: Details = .none, progress: IndexProgress? = nil,
                 _ body: (Database) throws -> T) throws(ParleyError) -> T {
        try transaction { db in
            let updater = IndexUpdater(db: db, snapshot: snapshot, progress: progress)
            try updater.catchUp()
            if details != .none { try updater.catchUpDetails(details) }
            return try body(db)
        }
    }

    /// Like `read`, but `body` runs in a read-only transaction of its own
    /// once the catch-up committed: a listing streamed into a slow pipe
    /// does not hold the index's write lock against other processes.
    package func stream<T>(at snapshot: any StoreSnapshot, progress: IndexProgress?,
                           _ body: (Database) throws -> T) throws(ParleyError) -> T {
        try transaction { db in try IndexUpdater(db: db, snapshot: snapshot, progress: progress).catchUp() }
        lock.lock()
        defer { lock.unlock() }
        do { return try database.read(body) } catch { throw failure(error) }
    }

    /// Runs `body` in one write transaction, serialised with every other
    /// use of the index in this process.
    package func transaction<T>(_ body: (Database) throws -> T) throws(ParleyError) -> T {
        lock.lock()
        defer { lock.unlock() }
        do {
            return try database.write(body)
        } catch let error as DatabaseError where path != nil && Self.damaged.contains(error.resultCode.primaryResultCode) {
            // Damaged under us (a disk error, a deleted file): rebuild once from Git.
            database = try Self.recreate(path!)
            do { return try database.write(body) } catch { throw failure(error) }
        } catch {
            throw failure(error)
        }
    }

    private static let damaged: [ResultCode] = [.SQLITE_CORRUPT, .SQLITE_NOTADB, .SQLITE_IOERR, .SQLITE_CANTOPEN]

    private func failure(_ error: any Error) -> ParleyError {
        if let error = error as? ParleyError { return error }
        return .storage("the index\(path.map { " at \($0)" } ?? "") failed: \(error); delete it to rebuild it")
    }

    /// Brings an index that was built before up to `snapshot` (a writer,
    /// after its commit): a few changed conversations. An index never built
    /// is left to the next reader, which shows progress; a write in a fresh
    /// clone must not pay for summarising the whole mailbox.
    public func catchUp(to snapshot: any StoreSnapshot) throws(ParleyError) {
        try transaction { db in
            guard try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'revision'") != nil else { return }
            try IndexUpdater(db: db, snapshot: snapshot, progress: nil).catchUp()
        }
    }

    /// Forgets everything, so the next read rebuilds from Git (a cold start).
    public func clear() throws(ParleyError) {
        lock.lock()
        defer { lock.unlock() }
        do {
            try database.write { db in
                for table in IndexSchema.tables { try db.execute(sql: "DELETE FROM \(table)") }
                try db.execute(sql: "DELETE FROM meta WHERE key <> 'schema'")
            }
        } catch {
            throw .storage("cannot clear the index: \(error)")
        }
    }

    /// The index a store keeps in `slot`, opened on first use.
    public static func shared(in slot: borrowing Mutex<MailboxIndex?>, path: String?) throws(ParleyError) -> MailboxIndex {
        try slot.withLock { index throws(ParleyError) in
            if let index { return index }
            let opened = try MailboxIndex(path: path)
            index = opened
            return opened
        }
    }
}

extension MailboxStore {
    /// The store's derived index as SQL: every store Parley has (Git, and
    /// the in-memory one of the tests) keeps a `MailboxIndex`; the readers
    /// of this module (reports, audit, search, check) ask it in SQL.
    package func sqlIndex() throws(ParleyError) -> MailboxIndex {
        guard let index = try index() as? MailboxIndex else {
            preconditionFailure("\(type(of: self)) keeps a derived index that is not a MailboxIndex")
        }
        return index
    }
}
