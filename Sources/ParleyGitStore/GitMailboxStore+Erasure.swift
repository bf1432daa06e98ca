import Foundation
import Git
import ParleyCore

extension GitMailboxStore {
    /// Rewrites the records branch without the scope (HistoryEraser for the
    /// trees, the scope's scrubbing for the messages) and commits the
    /// erasure record on the new history, then moves the branch once, from
    /// the tip it started at. `main` is not rewritten: in format 2 it holds
    /// no records. The rewritten history reaches the disk as packs (one per
    /// ten thousand commits) and the erasure record as one more, before the
    /// branch moves, not as a file per object (millions of files for a
    /// rewrite of a large history).
    public func erase(_ scope: ErasureScope, record: (ErasureTally) throws(ParleyError) -> StoreChange) throws(ParleyError) -> ErasureTally {
        guard hasRecordsBranch else {
            throw .invalidInput("erasure rewrites the records branch, and this mailbox keeps its records on main (format 1): run "
                + "'parley migrate' first")
        }
        let lock = try ProcessLock(path: lockPath)
        defer { lock.release() }
        try refuseDuringMerge()
        let repository = try rewritingHandle()
        let tip: ObjectID, rewrittenTip: ObjectID, tally: ErasureTally
        do throws(GitError) {
            guard let found = try repository.referenceTarget(Self.recordsReference) else { throw GitError(code: .notFound, function: "erase",
                message: "no records branch") }
            tip = found
            (rewrittenTip, tally) = try Self.rewrite(tip, in: repository, erasing: scope)
        } catch {
            throw .storage("the erasure stopped and nothing changed: \(error.message)")
        }
        let change = try record(tally)
        do throws(GitError) {
            let signature = Signature(name: change.author.name, email: change.author.email, time: change.time,
                                      offsetMinutes: TimeZone.current.secondsFromGMT(for: change.time) / 60)
            var updates: [TreeUpdate] = []
            for (path, data) in change.files {
                updates.append(try data.map { data throws(GitError) in .upsert(path, blob: try repository.writeBlob(data)) } ?? .remove(path))
            }
            let tree = try repository.updatedTree(base: repository.treeID(ofCommit: rewrittenTip), applying: updates)
            let commit = try repository.createCommit(tree: tree, parents: [rewrittenTip], author: signature, committer: signature,
                                                     message: change.message, updatingReference: nil)
            try repository.flushBufferedObjects(reachableFrom: [commit], excluding: [rewrittenTip])
            try repository.updateReference(Self.recordsReference, to: commit, expecting: tip, logMessage: "parley: erase")
        } catch {
            repository.discardBufferedObjects()
            throw .storage("the erasure stopped and nothing changed: \(error.message)")
        }
        dropDerivedData()
        return tally
    }

    /// `tip`'s history rewritten without `scope`, and what that took.
    static func rewrite(_ tip: ObjectID, in repository: Repository, erasing scope: ErasureScope) throws(GitError) -> (ObjectID, ErasureTally) {
        var eraser = HistoryEraser(repository: repository, scope: scope)
        let scrubber = Scrubber(scope.scrub)
        // The eraser keeps every tree it worked out; libgit2's cache would only evict and probe.
        let (newTip, rewritten) = try LibGit2.withObjectCacheOff { () throws(GitError) in
            try repository.rewriteHistory(from: tip, tree: { tree throws(GitError) in try eraser.tree(tree) }, message: scrubber.scrubbed)
        }
        return (newTip, ErasureTally(commitsRewritten: rewritten, filesRemoved: eraser.removed.count))
    }

    /// A handle of its own whose writes are buffered in memory until they
    /// are written as a pack.
    func rewritingHandle() throws(ParleyError) -> Repository {
        do {
            guard let repository = try Repository.open(at: gitDirectory) else { throw ParleyError.storage("the repository is gone") }
            try repository.bufferObjectWrites()
            return repository
        } catch let error as ParleyError {
            throw error
        } catch {
            throw .storage("cannot open \(gitDirectory): \(error)")
        }
    }

    /// The derived index and caches hold texts of the old history, and the
    /// overdue alerts' state holds numbers: they go, and the next read
    /// rebuilds them from Git (an alert still due may be posted once more).
    func dropDerivedData() {
        derivedIndex.withLock { $0 = nil }
        for name in ["index.sqlite", "index.sqlite-wal", "index.sqlite-shm", "cache", "overdue-alerts.json"] {
            try? FileManager.default.removeItem(atPath: gitDirectory + "parley/" + name)
        }
    }
}
