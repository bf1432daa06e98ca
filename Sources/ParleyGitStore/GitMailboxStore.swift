import Foundation
import Git
import ParleyCore
import Synchronization
import ParleyIndex

/// The mailbox store backed by a Git repository through libgit2.
///
/// Every commit is built in memory (blobs, then `git_tree_create_updated`)
/// and published with a compare-and-swap on HEAD; then only the touched
/// paths of the index and work tree are brought up to date, so a person's
/// uncommitted edits elsewhere are never committed, reverted or lost.
/// One `Repository` handle sits behind a mutex (libgit2 handles are not
/// thread-safe); a lock file serializes Parley processes on one clone.
public final class GitMailboxStore: MailboxStore {
    private let repository: LockedRepository
    /// The work tree, or the repository itself when bare; with a trailing slash.
    public let rootDirectory: String
    public let gitDirectory: String
    public let isBare: Bool
    let lockPath: String
    /// Work-tree files are written here first and renamed into place, so a
    /// killed write leaves nothing in the work tree; emptied under the lock.
    let temporaryDirectory: String
    /// A Git lock file older than this, found while Parley holds its own
    /// process lock, was left by a process that died mid-write (kill -9,
    /// power loss) and is removed. `PARLEY_STALE_LOCK_SECONDS` sets it.
    public let staleLockAge: TimeInterval =
        ProcessInfo.processInfo.environment["PARLEY_STALE_LOCK_SECONDS"].flatMap(TimeInterval.init) ?? 10

    let packs: PackMaintenance
    /// Commits with at most this many new objects write them loose.
    static let looseObjectLimit = 12

    private init(_ repository: Repository) {
        packs = PackMaintenance(gitDirectory: repository.gitDirectory)
        try? repository.bufferObjectWrites()
        rootDirectory = repository.workingDirectory ?? repository.gitDirectory
        gitDirectory = repository.gitDirectory
        isBare = repository.isBare
        lockPath = repository.gitDirectory + "parley.lock"
        temporaryDirectory = repository.gitDirectory + "parley/tmp/"
        self.repository = LockedRepository(repository)
    }

    /// Opens the repository at `path`, or the nearest one above it when
    /// `searchParents` is set; nil when there is none.
    public static func open(at path: String, searchParents: Bool = false) throws(ParleyError) -> GitMailboxStore? {
        do {
            return try Repository.open(at: path, searchParents: searchParents).map(GitMailboxStore.init)
        } catch {
            throw .storage("cannot open the Git repository at \(path): \(error.message)")
        }
    }

    /// Creates a new repository whose branch is `main`.
    public static func create(at path: String, bare: Bool = false) throws(ParleyError) -> GitMailboxStore {
        do {
            return GitMailboxStore(try Repository.create(at: path, bare: bare))
        } catch {
            throw .storage("cannot create a Git repository at \(path): \(error.message)")
        }
    }

    public func workTreeContents(_ path: String) -> Data? {
        guard !isBare else { return nil }
        return FileManager.default.contents(atPath: rootDirectory + path)
    }

    public func commitSignature(_ id: String) throws(ParleyError) -> (signature: String, signedData: Data)? {
        guard let commit = ObjectID(hex: id) else { throw .invalidInput("'\(id)' is not a commit id") }
        return try withRepository { repository throws(GitError) in try repository.commitSignature(commit) }
    }

    /// Merges the small packs commits leave behind on a background thread
    /// instead of in the commit that reaches the threshold: for a long-running
    /// writer (the webhook server), whose commits should not wait for it.
    /// Every `fullMergeEvery`-th merge (16: about every 770 commits) runs libgit2's delta search; the
    /// others copy the small packs into one.
    public func mergePacksInBackground(fullMergeEvery: Int = 16) { packs.mergeInBackground(fullMergeEvery: fullMergeEvery) }

    /// Makes every later commit in this process fsync its objects and refs
    /// before returning (or stop doing so), for writers that acknowledge
    /// after committing. It is process-wide: a test that turns it on turns it off again.
    public static func setDurableWrites(_ enabled: Bool) throws(ParleyError) {
        do { try LibGit2.setFsync(enabled) } catch { throw .storage("cannot \(enabled ? "enable" : "disable") fsync: \(error.message)") }
    }

    /// The URL of a remote, nil when there is none.
    public func remoteURL(_ name: String) -> String? {
        try? repository.with { repository throws(GitError) in repository.remoteURL(name) }
    }

    /// Reads a Git configuration value (repository, then global).
    public func configString(_ key: String) -> String? {
        try? repository.with { repository throws(GitError) in try repository.configString(key) }
    }

    /// Format 2's records branch: machine-written records, never checked out.
    static let recordsReference = "refs/heads/" + MailboxLayout.recordsBranch

    /// Format 2: creates the records branch if it is missing—from the
    /// hub's when this is a clone (a plain `git clone` creates only the
    /// checked-out branch), else as an empty first commit.
    public func prepare(format: Int, time: Date) throws(ParleyError) {
        guard format >= 2 else { return }
        try withRepository { repository throws(GitError) in
            guard try repository.referenceTarget(Self.recordsReference) == nil else { return }
            let start: ObjectID
            if let tracked = try repository.referenceTarget("refs/remotes/origin/" + MailboxLayout.recordsBranch) {
                start = tracked
            } else {
                defer { repository.discardBufferedObjects() }
                let tree = try repository.updatedTree(base: nil, applying: [])
                let signature = Signature(name: "Parley", email: "parley@parley.invalid", time: time, offsetMinutes: 0)
                start = try repository.createCommit(
                    tree: tree, parents: [], author: signature, committer: signature,
                    message: "Start the records branch\n\nParley-Action: init\nParley-Format: 2\n", updatingReference: nil)
                try repository.flushBufferedObjectsLoose([tree, start])
            }
            do throws(GitError) {
                try repository.updateReference(Self.recordsReference, to: start, expecting: nil, logMessage: "parley: start the records branch")
            } catch where error.code == .exists || error.code == .modified {
                // Another Parley process created it first.
            }
        }
    }

    /// Whether this repository keeps its records on their own branch (format 2).
    public var hasRecordsBranch: Bool {
        ((try? withRepositoryRaw { repository throws(GitError) in try repository.referenceTarget(Self.recordsReference) }) ?? nil) != nil
    }

    public func snapshot() throws(ParleyError) -> any StoreSnapshot {
        try withRepository { repository throws(GitError) in
            let head = try repository.headCommitID()
            let main = BranchTip(commit: head, tree: try head.map { commit throws(GitError) in try repository.treeID(ofCommit: commit) })
            let records = try repository.referenceTarget(Self.recordsReference).map { commit throws(GitError) in
                BranchTip(commit: commit, tree: try repository.treeID(ofCommit: commit))
            }
            return GitSnapshot(store: self, main: main, records: records)
        }
    }

    /// A past state by the id `snapshot().revision` or `history` gave: one
    /// commit (of either branch) or, in format 2, `MAIN:RECORDS`.
    public func snapshot(at revision: String) throws(ParleyError) -> any StoreSnapshot {
        let parts = revision.split(separator: ":").map(String.init)
        let commits = parts.map(ObjectID.init(hex:))
        guard (1...2).contains(parts.count), commits.allSatisfy({ $0 != nil }) else { throw .invalidInput("'\(revision)' is not a commit id") }
        return try withRepository { repository throws(GitError) in
            let tips = try commits.map { commit throws(GitError) in BranchTip(commit: commit, tree: try repository.treeID(ofCommit: commit!)) }
            let records = tips.count == 2 ? tips[1] : (try repository.referenceTarget(Self.recordsReference) == nil ? nil : tips[0])
            return GitSnapshot(store: self, main: tips[0], records: records)
        }
    }

    public func commit(_ transaction: (any StoreSnapshot) throws(ParleyError) -> StoreChange?) throws(ParleyError) -> CommitRecord? {
        let record = try commitUnderLock(transaction)
        if record != nil { updateIndex() }
        return record
    }

    /// The writer brings the derived index along after its commit, so the
    /// next reader finds it current. A failure is only slower reads later.
    func updateIndex() {
        try? index().catchUp(to: snapshot())
    }

    private func commitUnderLock(_ transaction: (any StoreSnapshot) throws(ParleyError) -> StoreChange?) throws(ParleyError) -> CommitRecord? {
        let lock = try ProcessLock(path: lockPath)
        defer { lock.release() }
        removeStaleGitLocks()
        removeLeftoverTemporaryFiles()
        try refuseDuringMerge()
        for _ in 0..<100 {
            let snapshot = try self.snapshot() as! GitSnapshot
            guard let change = try transaction(snapshot) else { return nil }
            if let secret = change.files.keys.first(where: MailboxLayout.isSecretPath) {
                throw .invalidInput("refusing to commit '\(secret)': it looks like a secret; keep credentials outside the repository")
            }
            guard let records = snapshot.records else {
                switch try publish(change, on: snapshot.main, reference: nil) {
                case .published(let record): return record
                case .unchanged: return nil
                case .tipMoved: continue
                }
            }
            let recordFiles = change.files.filter { MailboxLayout.isOnRecordsBranch($0.key) }
            let mainFiles = change.files.filter { !MailboxLayout.isOnRecordsBranch($0.key) }
            var published: CommitRecord?
            if !recordFiles.isEmpty {
                switch try publish(change.with(files: recordFiles), on: records, reference: Self.recordsReference) {
                case .published(let record): published = record
                case .unchanged: break
                case .tipMoved: continue
                }
            }
            if mainFiles.isEmpty { return published }
            guard let published else {
                switch try publish(change.with(files: mainFiles), on: snapshot.main, reference: nil) {
                case .published(let record): return record
                case .unchanged: return nil
                case .tipMoved: continue
                }
            }
            // The records are out: the files people edit (a sent draft's
            // removal) follow on the newest tip, and never fail the command.
            var following = change.with(files: mainFiles)
            let subject = change.message.prefix { $0 != "\n" }
            following.message = CommitMessage(subject: "Update \(mainFiles.keys.sorted().joined(separator: ", ")) after: \(subject)",
                                              action: .followUp, trailers: [(.recordsCommit, published.id)]).text
            return publishFollowing(following, after: published)
        }
        throw .storage(tipKeptMovingMessage())
    }

    /// The part of a change on the checked-out branch, once its records
    /// are published: retried on the newest tip, a failure only warns.
    private func publishFollowing(_ change: StoreChange, after records: CommitRecord) -> CommitRecord {
        for _ in 0..<100 {
            do {
                let snapshot = try self.snapshot() as! GitSnapshot
                switch try publish(change, on: snapshot.main, reference: nil) {
                case .published(let main):
                    return CommitRecord(id: records.id, keptLocalEdits: main.keptLocalEdits, warnings: records.warnings + main.warnings)
                case .unchanged: return records
                case .tipMoved: continue
                }
            } catch {
                let warning = "commit \(records.shortID) is saved, but \(change.files.keys.sorted().joined(separator: ", ")) could not be updated: "
                    + "\(error)"
                Self.warn(warning)
                return CommitRecord(id: records.id, keptLocalEdits: records.keptLocalEdits, warnings: records.warnings + [warning])
            }
        }
        let warning = "commit \(records.shortID) is saved, but \(tipKeptMovingMessage())"
        Self.warn(warning)
        return CommitRecord(id: records.id, keptLocalEdits: records.keptLocalEdits, warnings: records.warnings + [warning])
    }

    /// Newest first, from both branches in format 2 (a commit they share,
    /// from before a migration, once).
    public func history(touching paths: [String], limit: Int?) throws(ParleyError) -> [HistoryEntry] {
        try withRepository { repository throws(GitError) in
            var starts: [(ObjectID, [String])] = []
            let records = try repository.referenceTarget(Self.recordsReference)
            let recordPaths = records == nil ? [] : paths.filter(MailboxLayout.isOnRecordsBranch)
            let mainPaths = paths.filter { !recordPaths.contains($0) }
            if let head = try repository.headCommitID(), paths.isEmpty || !mainPaths.isEmpty { starts.append((head, mainPaths)) }
            if let records, paths.isEmpty || !recordPaths.isEmpty { starts.append((records, recordPaths)) }
            // Each branch's walk keeps its own order (times can tie under a
            // pinned clock); the two are merged newest first, records first on a tie.
            var walks = try starts.reversed().map { start, touching throws(GitError) in
                try repository.history(from: start, touching: touching, limit: limit)[...]
            }
            var seen: Set<ObjectID> = []
            var commits: [CommitInfo] = []
            // The newest head next; on a tie, the walk listed first.
            func precedes(_ a: Int, _ b: Int) -> Bool {
                let (left, right) = (walks[a].first!.author.time, walks[b].first!.author.time)
                return left < right || (left == right && a > b)
            }
            while commits.count < (limit ?? Int.max), let next = walks.indices.filter({ !walks[$0].isEmpty }).max(by: precedes) {
                let commit = walks[next].removeFirst()
                if seen.insert(commit.id).inserted { commits.append(commit) }
            }
            return commits.map(HistoryEntry.init)
        }
    }

    let derivedIndex = Mutex<MailboxIndex?>(nil)

    public func index() throws(ParleyError) -> any DerivedIndex {
        try MailboxIndex.shared(in: derivedIndex, path: gitDirectory + "parley/index.sqlite")
    }

    /// Runs `body` with the repository handle and its own error type.
    func withRepositoryRaw<T>(_ body: (Repository) throws(GitError) -> T) throws(GitError) -> T {
        try repository.with(body)
    }

    /// Runs `body` with the repository handle, turning libgit2 failures into
    /// a storage error that names the failing call.
    func withRepository<T>(_ body: (Repository) throws(GitError) -> T) throws(ParleyError) -> T {
        do {
            return try repository.with(body)
        } catch {
            throw Self.storageError(error)
        }
    }

    static func storageError(_ error: GitError) -> ParleyError {
        .storage("Git: \(error.description)" + (error.code == .locked ? " (another Git command holds a lock; retry when it finishes)" : ""))
    }

    /// A read-only handle of its own on the same repository, for reading on
    /// another thread: its writes would not be buffered, so it only reads.
    func openReader() throws(ParleyError) -> LockedRepository {
        let opened: Repository?
        do { opened = try Repository.open(at: gitDirectory) } catch { throw Self.storageError(error) }
        guard let opened else { throw .storage("the repository at \(gitDirectory) is gone") }
        return LockedRepository(opened)
    }
}
