import Foundation
import Git
import ParleyCore

/// One commit on one branch: blobs and trees in memory, the commit, a
/// compare-and-swap of the branch, then—only for the checked-out branch—
/// the work tree and index of the touched paths.
extension GitMailboxStore {
    enum Outcome {
        case published(CommitRecord)
        case unchanged
        case tipMoved
    }

    /// Commits `change` on top of `base` and moves `reference` (nil: the
    /// checked-out branch) to it by compare-and-swap. Only the checked-out
    /// branch has a work tree and index to follow.
    func publish(_ change: StoreChange, on base: BranchTip, reference: String?) throws(ParleyError) -> Outcome {
        try withRepository { repository throws(GitError) -> Outcome in
            // Every object of this commit goes into memory first and reaches
            // the disk as one pack, fsynced once, before the branch moves.
            defer { repository.discardBufferedObjects() }
            var (updates, written) = try Self.treeUpdates(for: change, on: base, in: repository)
            guard !updates.isEmpty else { return .unchanged }
            let tree = try repository.updatedTree(base: base.tree, applying: updates)
            if tree == base.tree { return .unchanged }
            let checkedOut = reference == nil ? try repository.headBranchName() : nil
            guard let branch = reference ?? checkedOut else {
                throw GitError(code: .invalid, function: "HEAD",
                    message: "HEAD is detached; check out a branch (git switch main) before Parley writes")
            }
            let offset = TimeZone.current.secondsFromGMT(for: change.time) / 60
            let signature = Signature(name: change.author.name, email: change.author.email, time: change.time, offsetMinutes: offset)
            let commit = try repository.createCommit(
                tree: tree, parents: base.commit.map { [$0] } ?? [], author: signature, committer: signature,
                message: change.message, updatingReference: nil, sign: change.sign)
            written += try repository.newTrees(in: tree, comparedTo: base.tree, along: updates.map(\.path))
            written.append(commit)
            let pack = try Self.flush(written, in: repository)
            do throws(GitError) {
                try repository.updateReference(branch, to: commit, expecting: base.commit,
                    logMessage: "parley: " + change.message.prefix { $0 != "\n" })
            } catch where error.code == .modified || error.code == .locked {
                packs.recordUnreachablePack(pack)
                return .tipMoved
            }
            // The commit is published: from here on nothing may fail the
            // command, or a retry would send or record a second time.
            var warnings: [String] = []
            do throws(GitError) {
                try packs.recordNewPack(pack, base: base.commit, head: commit, in: repository)
            } catch {
                warnings.append("commit \(commit.hex.prefix(8)) is saved, but its pack could not be noted for maintenance: \(error.message)")
            }
            let paths = updates.map(\.path)
            var kept: [String] = []
            if reference == nil { do throws(GitError) {
                kept = try repository.syncWorkTree(paths: paths, from: base.tree, to: tree, temporaryDirectory: temporaryDirectory)
            } catch {
                warnings.append(Self.staleWorkTreeWarning(commit: commit.hex, paths: paths, problem: error.message))
            } }
            for warning in warnings { Self.warn(warning) }
            return .published(CommitRecord(id: commit.hex, keptLocalEdits: kept, warnings: warnings))
        }
    }

    /// The blobs of `change` written to the buffer, and the tree updates for
    /// the files that differ from `base` (an unchanged file is no update).
    private static func treeUpdates(for change: StoreChange, on base: BranchTip,
                                    in repository: Repository) throws(GitError) -> ([TreeUpdate], [ObjectID]) {
        var updates: [TreeUpdate] = []
        var written: [ObjectID] = []
        for path in change.files.keys.sorted() {
            let existing = try base.tree.flatMap { tree throws(GitError) in try repository.entry(atPath: path, inTree: tree) }
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
        return (updates, written)
    }

    /// Writes the commit's objects to disk: a few (one message) cost less as
    /// loose files; a batch is one pack, whose name is returned.
    private static func flush(_ written: [ObjectID], in repository: Repository) throws(GitError) -> String? {
        guard written.count > looseObjectLimit else {
            try repository.flushBufferedObjectsLoose(written)
            return nil
        }
        return try repository.flushBufferedObjects(written)
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
}
