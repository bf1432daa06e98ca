import Foundation
import Git
import ParleyCore

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
    private let lockPath: String
    private let cacheDirectory: String
    /// Work-tree files are written here first and renamed into place, so a
    /// killed write leaves nothing in the work tree; emptied under the lock.
    let temporaryDirectory: String
    /// A Git lock file older than this, found while Parley holds its own
    /// process lock, was left by a process that died mid-write (kill -9,
    /// power loss) and is removed. `PARLEY_STALE_LOCK_SECONDS` sets it.
    public let staleLockAge: TimeInterval =
        ProcessInfo.processInfo.environment["PARLEY_STALE_LOCK_SECONDS"].flatMap(TimeInterval.init) ?? 10

    private let packs: PackMaintenance
    /// Commits with at most this many new objects write them loose.
    static let looseObjectLimit = 12

    private init(_ repository: Repository) {
        packs = PackMaintenance(directory: repository.gitDirectory + "parley/")
        try? repository.bufferObjectWrites()
        rootDirectory = repository.workingDirectory ?? repository.gitDirectory
        gitDirectory = repository.gitDirectory
        isBare = repository.isBare
        lockPath = repository.gitDirectory + "parley.lock"
        cacheDirectory = repository.gitDirectory + "parley/cache/"
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

    /// Makes every later commit in this process fsync its objects and refs
    /// before returning, for writers that acknowledge after committing.
    public static func enableDurableWrites() throws(ParleyError) {
        do { try LibGit2.setFsync(true) } catch { throw .storage("cannot enable fsync: \(error.message)") }
    }

    /// The URL of a remote, nil when there is none.
    public func remoteURL(_ name: String) -> String? {
        try? repository.with { repository throws(GitError) in repository.remoteURL(name) }
    }

    /// Reads a Git configuration value (repository, then global).
    public func configString(_ key: String) -> String? {
        try? repository.with { repository throws(GitError) in try repository.configString(key) }
    }

    public func snapshot() throws(ParleyError) -> any StoreSnapshot {
        try withRepository { repository throws(GitError) in
            let head = try repository.headCommitID()
            return GitSnapshot(store: self, commit: head, tree: try head.map { commit throws(GitError) in try repository.treeID(ofCommit: commit) })
        }
    }

    public func snapshot(at revision: String) throws(ParleyError) -> any StoreSnapshot {
        guard let commit = ObjectID(hex: revision) else { throw .invalidInput("'\(revision)' is not a commit id") }
        return try withRepository { repository throws(GitError) in
            GitSnapshot(store: self, commit: commit, tree: try repository.treeID(ofCommit: commit))
        }
    }

    public func commit(_ transaction: (any StoreSnapshot) throws(ParleyError) -> StoreChange?) throws(ParleyError) -> CommitRecord? {
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
            switch try publish(change, on: snapshot) {
            case .published(let record): return record
            case .unchanged: return nil
            case .tipMoved: continue
            }
        }
        throw .storage(tipKeptMovingMessage())
    }

    /// After 100 failed compare-and-swaps: either a lock file nobody
    /// releases, or another program rewriting the branch.
    private func tipKeptMovingMessage() -> String {
        let branch = (try? withRepository { repository throws(GitError) in try repository.headBranchName() }) ?? nil
        let lock = gitDirectory + (branch ?? "HEAD") + ".lock"
        if FileManager.default.fileExists(atPath: lock) {
            return "cannot move \(branch ?? "HEAD"): \(lock) is held. If no Git command is running, it was left by one that stopped; remove it (rm '\(lock)') and retry"
        }
        return "HEAD kept moving while committing (100 attempts); is another program rewriting this repository?"
    }

    /// Temporary files of a write that was killed: no other Parley writer
    /// can be using them while this process holds the lock.
    private func removeLeftoverTemporaryFiles() {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: temporaryDirectory)) ?? [] {
            unlink(temporaryDirectory + name)
        }
    }

    private enum Outcome {
        case published(CommitRecord)
        case unchanged
        case tipMoved
    }

    private func publish(_ change: StoreChange, on snapshot: GitSnapshot) throws(ParleyError) -> Outcome {
        try withRepository { repository throws(GitError) -> Outcome in
            // Every object of this commit goes into memory first and reaches
            // the disk as one pack, fsynced once, before the branch moves.
            defer { repository.discardBufferedObjects() }
            var updates: [TreeUpdate] = []
            var written: [ObjectID] = []
            for path in change.files.keys.sorted() {
                let existing = try snapshot.tree.flatMap { tree throws(GitError) in try repository.entry(atPath: path, inTree: tree) }
                if let data = change.files[path]! {
                    let blob = try repository.writeBlob(data)
                    if existing?.id != blob {
                        updates.append(.upsert(path, blob: blob))
                        written.append(blob)
                    }
                } else if existing != nil {
                    updates.append(.remove(path))
                }
            }
            guard !updates.isEmpty else { return .unchanged }
            let tree = try repository.updatedTree(base: snapshot.tree, applying: updates)
            if tree == snapshot.tree { return .unchanged }
            guard let branch = try repository.headBranchName() else {
                throw GitError(code: .invalid, function: "HEAD", message: "HEAD is detached; check out a branch (git switch main) before Parley writes")
            }
            let offset = TimeZone.current.secondsFromGMT(for: change.time) / 60
            let signature = Signature(name: change.author.name, email: change.author.email, time: change.time, offsetMinutes: offset)
            let commit = try repository.createCommit(
                tree: tree, parents: snapshot.commit.map { [$0] } ?? [], author: signature, committer: signature,
                message: change.message, updatingReference: nil)
            written += try repository.newTrees(in: tree, comparedTo: snapshot.tree, along: updates.map(\.path))
            written.append(commit)
            // A few objects (one message) cost less as loose files; a batch is one pack.
            let pack: String?
            if written.count <= Self.looseObjectLimit {
                try repository.flushBufferedObjectsLoose(written)
                pack = nil
            } else {
                pack = try repository.flushBufferedObjects(written)
            }
            do throws(GitError) {
                try repository.updateReference(branch, to: commit, expecting: snapshot.commit, logMessage: "parley: " + change.message.prefix { $0 != "\n" })
            } catch where error.code == .modified || error.code == .locked {
                packs.recordUnreachablePack(pack)
                return .tipMoved
            }
            // The commit is published: from here on nothing may fail the
            // command, or a retry would send or record a second time.
            var warnings: [String] = []
            do throws(GitError) {
                try packs.recordNewPack(pack, base: snapshot.commit, head: commit, in: repository)
            } catch {
                warnings.append("commit \(commit.hex.prefix(8)) is saved, but its pack could not be noted for maintenance: \(error.message)")
            }
            let paths = updates.map(\.path)
            var kept: [String] = []
            do throws(GitError) {
                let synced = try repository.syncWorkTree(paths: paths, from: snapshot.tree, to: tree, temporaryDirectory: temporaryDirectory)
                kept = synced.filter { $0.value == .keptLocalEdits }.map(\.key).sorted()
            } catch {
                warnings.append(Self.staleWorkTreeWarning(commit: commit.hex, paths: paths, problem: error.message))
            }
            for warning in warnings { Self.warn(warning) }
            return .published(CommitRecord(id: commit.hex, keptLocalEdits: kept, warnings: warnings))
        }
    }

    /// What to say when the commit is published but the work tree and
    /// index still show the previous version of the files it wrote.
    static func staleWorkTreeWarning(commit: String, paths: [String], problem: String) -> String {
        let shown = paths.prefix(3).map { "'\($0)'" }.joined(separator: " ")
        let more = paths.count > 3 ? " (and \(paths.count - 3) more)" : ""
        return "commit \(commit.prefix(8)) is saved, but the work tree and index could not be updated (\(problem)); "
            + "git status may show its files as changed until you run: git checkout HEAD -- \(shown)\(more)"
    }

    /// Warnings go to stderr: they concern this clone, never the outcome.
    static func warn(_ text: String) {
        FileHandle.standardError.write(Data("parley: warning: \(text)\n".utf8))
    }

    /// A person's unfinished `git merge` owns the index and work tree until
    /// they commit it; Parley waits rather than commit around it.
    func refuseDuringMerge() throws(ParleyError) {
        if FileManager.default.fileExists(atPath: gitDirectory + "MERGE_HEAD") {
            throw .conflict("a merge is in progress in \(rootDirectory): finish it with git (git status, edit the conflicted files, git add, git commit), then run parley again")
        }
    }

    /// Removes `index.lock` and reference locks that no live writer can
    /// own: Parley writers are excluded by the process lock, and a person's
    /// `git` holds these for milliseconds, not `staleLockAge` seconds.
    private func removeStaleGitLocks() {
        var candidates = [gitDirectory + "index.lock", gitDirectory + "HEAD.lock"]
        if let name = (try? withRepository({ repository throws(GitError) in try repository.headBranchName() })) ?? nil {
            candidates.append(gitDirectory + name + ".lock")
        }
        for path in candidates {
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                  let modified = attributes[.modificationDate] as? Date, Date().timeIntervalSince(modified) > staleLockAge else { continue }
            unlink(path)
            FileHandle.standardError.write(Data("parley: removed \(path), left by a process that stopped while writing\n".utf8))
        }
    }

    public func history(touching paths: [String], limit: Int?) throws(ParleyError) -> [HistoryEntry] {
        try withRepository { repository throws(GitError) in
            guard let head = try repository.headCommitID() else { return [] }
            return try repository.history(from: head, touching: paths, limit: limit).map { commit in
                HistoryEntry(
                    id: commit.id.hex, authorName: commit.author.name, authorEmail: commit.author.email,
                    time: commit.author.time, message: commit.message)
            }
        }
    }

    public func loadCache(named name: String) -> Data? {
        FileManager.default.contents(atPath: cacheDirectory + name)
    }

    public func saveCache(named name: String, _ data: Data) {
        // A cache that cannot be written is only slower next time.
        try? FileManager.default.createDirectory(atPath: cacheDirectory, withIntermediateDirectories: true)
        try? data.write(to: URL(fileURLWithPath: cacheDirectory + name), options: .atomic)
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
            throw .storage("Git: \(error.description)" + (error.code == .locked ? " (another Git command holds a lock; retry when it finishes)" : ""))
        }
    }
}
