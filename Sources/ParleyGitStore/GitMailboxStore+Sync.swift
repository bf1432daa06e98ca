import Foundation
import Git
import ParleyCore

/// What `parley sync` did.
public struct SyncReport: Sendable {
    public enum Merge: Sendable, Equatable {
        /// The hub had nothing new.
        case upToDate
        /// This clone had nothing new: it moved to the hub's commit.
        case fastForward(to: String)
        /// Both had new commits: a merge commit joins them.
        case merged(commit: String)
    }

    public let remote: String
    public let branch: String
    /// Commits the hub had that this clone lacked.
    public let received: Int
    /// Commits this clone pushed to the hub.
    public let sent: Int
    public let merge: Merge
    /// How many pushes were refused because someone pushed first.
    public let retries: Int
    public let keptLocalEdits: [String]
}

/// Where a clone stands against its hub, without changing anything.
public struct SyncStatus: Sendable {
    public let remote: String
    public let branch: String
    public let remoteURL: String
    public let ahead: Int
    public let behind: Int
    /// The hub's commits this clone lacks, newest first.
    public let incoming: [HistoryEntry]
    /// This clone's commits the hub lacks, newest first.
    public let outgoing: [HistoryEntry]
    /// Files the hub changed since the clones diverged.
    public let incomingPaths: [String]
}

extension GitMailboxStore {
    /// Shares the mailbox through a Git remote: fetch, then fast-forward or
    /// merge, then push, trying again when someone pushed in between.
    /// Messages, receipts and events merge at the tree level (they are
    /// separate files); a conflicting change to a hand-edited file stops
    /// the sync before anything changes, naming the files.
    /// `clock` stamps the merge commits: the mailbox's one clock, so a pinned clock pins them too.
    public func sync(remote: String = "origin", authentication: RemoteAuthentication, push: Bool = true, attempts: Int = 5,
                     clock: ParleyClock = .system) throws(ParleyError) -> SyncReport {
        let branch = try currentBranch()
        // Format 2 shares the records branch too, merged by the same rules but never checked out.
        let branches = [branch] + (hasRecordsBranch ? [MailboxLayout.recordsBranch] : [])
        var received = 0, sent = 0, retries = 0
        var merge = SyncReport.Merge.upToDate
        var kept: [String] = []
        for attempt in 1...attempts {
            try git("fetching from \(remote)") { repository throws(GitError) in try repository.fetch(remote: remote, authentication: authentication) }
            var ahead = 0
            var toPush: [String] = []
            var leases: [String: ObjectID] = [:]
            for name in branches {
                let step = try integrate(remote: remote, branch: name, checkedOut: name == branch, time: clock.now())
                received += step.received
                if step.merge != .upToDate && (merge == .upToDate || name == branch) { merge = step.merge }
                kept += step.keptLocalEdits
                ahead += step.ahead
                if step.ahead > 0 { toPush.append(name) }
                if let lease = step.lease { leases["refs/heads/\(name)"] = lease }
            }
            guard push, ahead > 0 else { break }
            let rejections = try git("pushing to \(remote)") { repository throws(GitError) -> [PushRejection] in
                // A branch whose hub history this clone rewrote (an erasure) replaces the hub's, under a lease.
                try repository.push(remote: remote, refspecs: toPush.map { (leases["refs/heads/\($0)"] == nil ? "" : "+")
                    + "refs/heads/\($0):refs/heads/\($0)" }, leases: leases, authentication: authentication)
            }
            if rejections.isEmpty {
                sent = ahead
                break
            }
            let reasons = rejections.map(\.description).joined(separator: "; ")
            // Someone pushed first: fetch and merge their commits, then try again.
            guard attempt < attempts, rejections.allSatisfy({ $0.reason.contains("fast-forward") || $0.reason.contains("fetch "
                + "first") || $0.reason.contains("stale") }) else {
                throw .conflict("\(remote) refused the push: \(reasons); your commits are kept locally. Check the hub's branch protection and "
                    + "hooks, then run 'parley sync' again")
            }
            retries += 1
        }
        // Like every writer, sync brings the derived index along: the inbox
        // right after it does not pay for the others' work it brought in.
        if received > 0 { updateIndex() }
        return SyncReport(remote: remote, branch: branch, received: received, sent: sent, merge: merge, retries: retries, keptLocalEdits: kept)
    }

    /// Fetches and reports where this clone stands, changing no branch.
    public func syncStatus(remote: String = "origin", authentication: RemoteAuthentication) throws(ParleyError) -> SyncStatus {
        let branch = try currentBranch()
        try git("fetching from \(remote)") { repository throws(GitError) in try repository.fetch(remote: remote, authentication: authentication) }
        return try withRepository { repository throws(GitError) -> SyncStatus in
            let url = repository.remoteURL(remote) ?? "?"
            let local = try repository.headCommitID()
            let upstream = try repository.referenceTarget("refs/remotes/\(remote)/\(branch)")
            guard let local, let upstream else {
                return SyncStatus(remote: remote, branch: branch, remoteURL: url, ahead: local == nil ? 0 : 1, behind: upstream == nil ? 0 : 1,
                                  incoming: [], outgoing: [], incomingPaths: [])
            }
            let (ahead, behind) = try repository.aheadBehind(local: local, upstream: upstream)
            let base = try repository.mergeBase(local, upstream)
            let entries = { (commits: [CommitInfo]) in commits.map(HistoryEntry.init) }
            let incoming = behind > 0 ? try repository.history(from: upstream, limit: behind) : []
            let outgoing = ahead > 0 ? try repository.history(from: local, limit: ahead) : []
            let paths = behind > 0 ? try repository.changedFiles(old: base.map { c throws(GitError) in try repository.treeID(ofCommit: c) } ?? nil,
                                                                new: repository.treeID(ofCommit: upstream)) : []
            return SyncStatus(remote: remote, branch: branch, remoteURL: url, ahead: ahead, behind: behind,
                              incoming: entries(incoming), outgoing: entries(outgoing), incomingPaths: paths)
        }
    }

    /// Clones a team's mailbox and checks that it is one.
    public static func clone(url: String, to path: String, authentication: RemoteAuthentication) throws(ParleyError) -> GitMailboxStore {
        do {
            _ = try Repository.clone(url: url, to: path, authentication: authentication)
        } catch {
            throw .storage("cannot clone \(url): \(error.message)")
        }
        guard let store = try GitMailboxStore.open(at: path) else { throw .storage("the clone at \(path) did not produce a repository") }
        return store
    }

    private struct Step {
        let received: Int
        let ahead: Int
        let merge: SyncReport.Merge
        let keptLocalEdits: [String]
        /// Set when the push must replace the hub's branch, which must still be at this commit.
        var lease: ObjectID?
    }

    /// Brings the hub's commits into this clone under the process lock.
    private func integrate(remote: String, branch: String, checkedOut: Bool, time: Date) throws(ParleyError) -> Step {
        let lock = try ProcessLock(path: gitDirectory + "parley.lock")
        defer { lock.release() }
        try refuseDuringMerge()
        let erasures = branch == MailboxLayout.recordsBranch ? try reconcileErasures(remote: remote) : nil
        var step = try git("merging \(remote)/\(branch)") { repository throws(GitError) -> Step in
            let local = try adopt(erasures?.local, branch: branch, in: repository)
            let tracking = try repository.referenceTarget("refs/remotes/\(remote)/\(branch)")
            guard let upstream = erasures?.upstream ?? tracking else {
                // The hub's branch does not exist yet: everything here is to be pushed.
                return Step(received: 0, ahead: local == nil ? 0 : 1, merge: .upToDate, keptLocalEdits: [])
            }
            guard let local else {
                let kept = try move(repository, branch: branch, from: nil, to: upstream, checkedOut: checkedOut)
                return Step(received: 1, ahead: 0, merge: .fastForward(to: upstream.hex), keptLocalEdits: kept)
            }
            let (ahead, behind) = try repository.aheadBehind(local: local, upstream: upstream)
            if behind == 0 { return Step(received: 0, ahead: ahead, merge: .upToDate, keptLocalEdits: []) }
            if ahead == 0 {
                let kept = try move(repository, branch: branch, from: local, to: upstream, checkedOut: checkedOut)
                return Step(received: behind, ahead: 0, merge: .fastForward(to: upstream.hex), keptLocalEdits: kept)
            }
            let base = try repository.mergeBase(local, upstream)
            let ours = try repository.treeID(ofCommit: local)
            let theirs = try repository.treeID(ofCommit: upstream)
            let baseTree = try base.map { commit throws(GitError) in try repository.treeID(ofCommit: commit) }
            // Each side's own new files (the usual case) merge without
            // listing the whole mailbox; anything both sides changed goes
            // through the full merge and its rules.
            let tree: ObjectID
            if let quick = try repository.mergeDisjointTrees(ancestor: baseTree, ours: ours, theirs: theirs) {
                tree = quick
            } else {
                let merged = try repository.mergeTrees(ancestor: baseTree, ours: ours, theirs: theirs, eitherSideWins: MailboxLayout.isRecordPath)
                guard let mergedTree = merged.tree else {
                    throw GitError(code: .mergeConflict, function: "merge", message: merged.conflicts.joined(separator: "\n"))
                }
                tree = mergedTree
            }
            let paths = try repository.changedFiles(old: ours, new: tree)
            if checkedOut { try refuseLocalEdits(repository, paths: paths, in: ours) }
            let now = time
            let signature = Signature(name: "Parley sync", email: "sync@parley.invalid", time: now,
                offsetMinutes: TimeZone.current.secondsFromGMT(for: now) / 60)
            let commit = try repository.createCommit(
                tree: tree, parents: [local, upstream], author: signature, committer: signature,
                message: CommitMessage(subject: "Merge \(remote)/\(branch) into \(branch)",
                    action: .sync).text, updatingReference: nil)
            var written = try repository.newTrees(in: tree, comparedTo: ours, along: paths)
            written.append(commit)
            try repository.flushBufferedObjects(written)
            try repository.updateReference("refs/heads/\(branch)", to: commit, expecting: local, logMessage: "parley: merge \(remote)/\(branch)")
            return Step(received: behind, ahead: ahead + 1, merge: .merged(commit: commit.hex),
                        keptLocalEdits: checkedOut ? followWorkTree(repository, commit: commit, paths: paths, from: ours, to: tree) : [])
        }
        if let erasures, erasures.upstream != nil { step.lease = erasures.lease }
        return step
    }

    /// The branch's tip, after moving it to `rewritten` (this clone's history
    /// with an erasure the hub had applied) when there is one.
    private func adopt(_ rewritten: ObjectID?, branch: String, in repository: Repository) throws(GitError) -> ObjectID? {
        let local = try repository.referenceTarget("refs/heads/\(branch)")
        guard let rewritten else { return local }
        try repository.updateReference("refs/heads/\(branch)", to: rewritten, expecting: local, logMessage: "parley: apply an erasure")
        return rewritten
    }

    /// Fast-forwards the branch and the touched work-tree files.
    private func move(_ repository: Repository, branch: String, from old: ObjectID?, to new: ObjectID,
        checkedOut: Bool) throws(GitError) -> [String] {
        guard checkedOut else {
            try repository.updateReference("refs/heads/\(branch)", to: new, expecting: old, logMessage: "parley: fast-forward to \(new.short)")
            return []
        }
        let oldTree = try old.map { commit throws(GitError) in try repository.treeID(ofCommit: commit) }
        let newTree = try repository.treeID(ofCommit: new)
        let paths = try repository.changedFiles(old: oldTree, new: newTree)
        if let oldTree { try refuseLocalEdits(repository, paths: paths, in: oldTree) }
        try repository.updateReference("refs/heads/\(branch)", to: new, expecting: old, logMessage: "parley: fast-forward to \(new.short)")
        return followWorkTree(repository, commit: new, paths: paths, from: oldTree, to: newTree)
    }

    /// Brings the work tree along once the branch has moved; a failure
    /// there is a warning, since the merge is already published.
    private func followWorkTree(_ repository: Repository, commit: ObjectID, paths: [String], from old: ObjectID?, to new: ObjectID) -> [String] {
        do throws(GitError) {
            return try repository.syncWorkTree(paths: paths, from: old, to: new, temporaryDirectory: temporaryDirectory)
        } catch {
            Self.warn(Self.staleWorkTreeWarning(commit: commit.hex, paths: paths, problem: error.message))
            return []
        }
    }

    /// A file the hub changed that also has uncommitted edits here would
    /// end up silently reverting the hub's change: stop, as `git pull` does.
    private func refuseLocalEdits(_ repository: Repository, paths: [String], in tree: ObjectID) throws(GitError) {
        guard repository.workingDirectory != nil else { return }
        let committed = try paths.map { path throws(GitError) in (path, try repository.entry(atPath: path, inTree: tree)?.id) }
        let edited = try repository.editedInWorkTree(committed)
        guard edited.isEmpty else {
            throw GitError(code: .conflict, function: "sync",
                message: "uncommitted edits to files the hub changed: \(edited.joined(separator: ", "))")
        }
    }

    private func currentBranch() throws(ParleyError) -> String {
        let name = try withRepository { repository throws(GitError) in try repository.headBranchName() }
        guard let name, name.hasPrefix("refs/heads/") else { throw .conflict("HEAD is detached; check out a branch (git switch main) before "
            + "syncing") }
        return String(name.dropFirst("refs/heads/".count))
    }

    /// Runs a Git step and words its failure for a person.
    private func git<T>(_ what: String, _ body: (Repository) throws(GitError) -> T) throws(ParleyError) -> T {
        do {
            return try withRepositoryRaw(body)
        } catch {
            switch error.code {
            case .mergeConflict:
                throw .conflict("""
                    sync stopped: these files changed both here and on the hub, and the changes do not combine:
                      \(error.message.replacingOccurrences(of: "\n", with: "\n  "))
                    Nothing was changed. Resolve them with Git: git pull (Git marks the conflicts), edit the files, git add,
                    git commit; then run parley sync again.
                    """)
            case .conflict:
                throw .conflict("sync stopped: \(error.message); commit or stash them (git stash), run parley sync, then git stash pop")
            case .authentication, .certificate:
                throw .storage("\(what) failed: \(error.message)")
            case .notFound where error.function == "git_remote_lookup":
                throw .invalidInput("\(error.message): add one with 'git remote add origin URL', or clone with 'parley clone URL'")
            default:
                throw .storage("\(what) failed: \(error.message)")
            }
        }
    }
}
