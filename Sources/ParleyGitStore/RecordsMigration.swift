import Foundation
import Git
import ParleyCore

/// What `parley migrate` did.
public struct MigrationReport: Sendable {
    /// Record files moved off the checked-out branch.
    public let movedFiles: Int
    /// The records branch's first commit of format 2, nil when it existed already.
    public let recordsCommit: String?
    /// The commit that removed the records from the checked-out branch.
    public let mainCommit: String?

    public var changedNothing: Bool { recordsCommit == nil && mainCommit == nil }
}

/// Format 1 → 2: the records move from the checked-out branch to the
/// records branch. The records branch starts from the current tip, so
/// `git log mailbox` shows the whole history; then one commit on the
/// checked-out branch removes the records and sets `format: 2`. Each step
/// is a compare-and-swap and the whole is idempotent: run it again after an
/// interruption and it finishes what is left.
extension GitMailboxStore {
    public func migrateToRecordsBranch(
        config rewrite: (Data) throws(ParleyError) -> Data, author: Agent, time: Date, progress: (String) -> Void = { _ in }
    ) throws(ParleyError) -> MigrationReport {
        let lock = try ProcessLock(path: gitDirectory + "parley.lock")
        defer { lock.release() }
        try refuseDuringMerge()
        do {
            return try withRepositoryRaw { repository throws(GitError) -> MigrationReport in
                try migrate(repository, rewrite: rewrite, author: author, time: time, progress: progress)
            }
        } catch where error.code == .conflict {
            throw .conflict(error.message)
        } catch {
            throw .storage("Git: \(error.description)")
        }
    }

    private func migrate(
        _ repository: Repository, rewrite: (Data) throws(ParleyError) -> Data, author: Agent, time: Date, progress: (String) -> Void
    ) throws(GitError) -> MigrationReport {
        defer { repository.discardBufferedObjects() }
        guard let head = try repository.headCommitID() else {
            throw GitError(code: .notFound, function: "migrate", message: "the mailbox has no commits")
        }
        let headTree = try repository.treeID(ofCommit: head)
        let roots = try repository.entries(ofTree: headTree).filter { $0.kind == .tree && MailboxLayout.isOnRecordsBranch($0.name) }
        let config = try repository.entry(atPath: MailboxLayout.configFile, inTree: headTree)
        let configData = try config.map { entry throws(GitError) in try repository.blobContent(entry.id) }
        let upgraded = try configData.map { data throws(GitError) in
            do { return try rewrite(data) } catch { throw GitError(code: .invalid, function: "migrate", message: "\(error)") }
        }
        progress("listing the records on \(try repository.headBranchName() ?? "HEAD")")
        var files: [(String, ObjectID)] = []
        for root in roots { try collectFiles(repository, tree: root.id, prefix: root.name + "/", into: &files) }
        try refuseUncommittedEdits(repository, files + (config.map { [(MailboxLayout.configFile, $0.id)] } ?? []))

        var recordsCommit: ObjectID?
        if try repository.referenceTarget(Self.recordsReference) == nil {
            progress("writing the records branch (\(files.count) files)")
            let tree = try repository.updatedTree(base: nil, applying: roots.map { .upsert($0.name, tree: $0.id) })
            let commit = try repository.createCommit(
                tree: tree, parents: [head], author: signature(author, time), committer: signature(author, time),
                message: "Keep records on the \(MailboxLayout.recordsBranch) branch (format 2)\n\nParley-Action: migrate\nParley-Format: 2\n",
                updatingReference: nil)
            try repository.flushBufferedObjectsLoose([tree, commit])
            try repository.updateReference(Self.recordsReference, to: commit, expecting: nil, logMessage: "parley: migrate to format 2")
            recordsCommit = commit
        }

        var updates: [TreeUpdate] = roots.map { .remove($0.name) }
        var written: [ObjectID] = []
        if let upgraded, upgraded != configData {
            let blob = try repository.writeBlob(upgraded)
            updates.append(.upsert(MailboxLayout.configFile, blob: blob))
            written.append(blob)
        }
        guard !updates.isEmpty else { return MigrationReport(movedFiles: 0, recordsCommit: recordsCommit?.hex, mainCommit: nil) }
        progress("removing \(files.count) record files from the checked-out branch")
        let tree = try repository.updatedTree(base: headTree, applying: updates)
        let commit = try repository.createCommit(
            tree: tree, parents: [head], author: signature(author, time), committer: signature(author, time),
            message: CommitMessage(
                subject: "Move records to the \(MailboxLayout.recordsBranch) branch (format 2)",
                body: "Read them with: git log \(MailboxLayout.recordsBranch), git show \(MailboxLayout.recordsBranch):PATH",
                action: .migrate, trailers: [(.format, "2")]).text,
            updatingReference: nil)
        written += try repository.newTrees(in: tree, comparedTo: headTree, along: [MailboxLayout.configFile]) + [commit]
        try repository.flushBufferedObjects(written)
        guard let branch = try repository.headBranchName() else {
            throw GitError(code: .invalid, function: "HEAD", message: "HEAD is detached; check out a branch (git switch main) first")
        }
        try repository.updateReference(branch, to: commit, expecting: head, logMessage: "parley: migrate to format 2")
        try repository.syncWorkTree(paths: files.map(\.0) + [MailboxLayout.configFile], from: headTree, to: tree,
            temporaryDirectory: temporaryDirectory)
        return MigrationReport(movedFiles: files.count, recordsCommit: recordsCommit?.hex, mainCommit: commit.hex)
    }

    private func signature(_ agent: Agent, _ time: Date) -> Signature {
        Signature(name: agent.name, email: agent.email, time: time, offsetMinutes: TimeZone.current.secondsFromGMT(for: time) / 60)
    }

    private func collectFiles(_ repository: Repository, tree: ObjectID, prefix: String, into files: inout [(String, ObjectID)]) throws(GitError) {
        for entry in try repository.entries(ofTree: tree) {
            if entry.kind == .tree {
                try collectFiles(repository, tree: entry.id, prefix: prefix + entry.name + "/", into: &files)
            } else {
                files.append((prefix + entry.name, entry.id))
            }
        }
    }

    /// A record file edited by hand in the work tree would be lost when it
    /// leaves the checked-out branch: stop and name it.
    private func refuseUncommittedEdits(_ repository: Repository, _ files: [(String, ObjectID)]) throws(GitError) {
        let edited = try repository.editedInWorkTree(files.map { ($0.0, $0.1) })
        guard edited.isEmpty else {
            let shown = edited.prefix(5).joined(separator: ", ") + (edited.count > 5 ? " and \(edited.count - 5) more" : "")
            throw GitError(code: .conflict, function: "migrate",
                           message: "uncommitted edits to \(shown): commit or discard them (git status), then run parley migrate again")
        }
    }
}
