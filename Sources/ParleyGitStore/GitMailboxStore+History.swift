import Foundation
import Git
import ParleyCore

extension GitMailboxStore {
    /// Walks the branch the records are on (the records branch in format 2,
    /// the checked-out one in format 1) from the snapshot's tip back to
    /// `known`, comparing each commit's `conversations/NN/+E164` folders
    /// with its parents'. Only changed subtrees are opened, so a commit
    /// costs a few tree reads however big the mailbox is.
    public func walkConversationChanges(
        at snapshot: any StoreSnapshot, after known: String?, restart: () throws(ParleyError) -> Void,
        _ body: (ConversationChange) throws(ParleyError) -> Void
    ) throws(ParleyError) -> String? {
        guard let snapshot = snapshot as? GitSnapshot else { throw .storage("a snapshot of another store") }
        guard let tip = (snapshot.records ?? snapshot.main).commit else { return nil }
        var hidden = known.flatMap(ObjectID.init(hex:))
        if known != nil {
            let isAncestor = try hidden.map { hidden throws(ParleyError) in
                try withRepository { repository throws(GitError) in try repository.isAncestor(hidden, of: tip) }
            } ?? false
            if !isAncestor {
                hidden = nil
                try restart()
            }
        }
        var failure: ParleyError?
        try withRepository { repository throws(GitError) in
            try repository.walk(from: tip, hiding: hidden) { commit throws(GitError) -> Bool in
                let folders = try Self.changedConversations(commit, in: repository)
                let numbers = folders.compactMap { PhoneNumber(e164: String($0.split(separator: "/").last ?? "")) }
                do throws(ParleyError) { try body(ConversationChange(commit: commit.id.hex, numbers: numbers)) } catch {
                    failure = error
                    return false
                }
                return true
            }
        }
        if let failure { throw failure }
        return tip.hex
    }

    /// The conversation folders a commit changed; for a merge, those that
    /// differ from every parent.
    private static func changedConversations(_ commit: WalkedCommit, in repository: Repository) throws(GitError) -> [String] {
        let root = MailboxLayout.conversationsDirectory
        guard let first = commit.parents.first else {
            return try repository.changedPaths(under: root, depth: 2, old: nil, new: commit.tree)
        }
        var changed = Set(try repository.changedPaths(under: root, depth: 2, old: try repository.treeID(ofCommit: first), new: commit.tree))
        for parent in commit.parents.dropFirst() where !changed.isEmpty {
            changed.formIntersection(try repository.changedPaths(under: root, depth: 2, old: try repository.treeID(ofCommit: parent),
                new: commit.tree))
        }
        return changed.sorted()
    }

    public func walkRecordCommits(at snapshot: any StoreSnapshot, _ body: (RecordCommit) throws(ParleyError) -> Void) throws(ParleyError) {
        guard let snapshot = snapshot as? GitSnapshot else { throw .storage("a snapshot of another store") }
        guard let tip = (snapshot.records ?? snapshot.main).commit else { return }
        var failure: ParleyError?
        // A handle of its own (libgit2 handles are not shared between threads):
        // a long walk does not hold up the snapshot reads running beside it.
        let opened: Repository?
        do { opened = try Repository.open(at: gitDirectory) } catch { throw .storage("cannot open \(gitDirectory): \(error.message)") }
        guard let repository = opened else { throw .storage("the repository at \(gitDirectory) is gone") }
        func visit(_ walked: WalkedCommit, _ info: CommitInfo) throws(GitError) -> Bool {
            let entry = HistoryEntry(info)
            let trailers = CommitMessage.trailers(in: entry.message)
            let files = RecordCommit.isParleys(trailers) ? nil : try Self.changedFiles(walked, in: repository)
            do throws(ParleyError) { try body(RecordCommit(entry: entry, trailers: trailers, changedFiles: files)) } catch {
                failure = error
                return false
            }
            return true
        }
        do throws(GitError) {
            // Each commit is read once, so libgit2's object cache would only
            // fill and evict: at 2.1M commits that was a third of the walk.
            try LibGit2.withObjectCacheOff { () throws(GitError) in try repository.forEachCommit(from: tip, visit) }
        } catch {
            throw .storage("cannot walk the records history: \(error.message)")
        }
        if let failure { throw failure }
    }

    /// The files a commit changed; for a merge, those that differ from every parent.
    private static func changedFiles(_ commit: WalkedCommit, in repository: Repository) throws(GitError) -> [String] {
        guard let first = commit.parents.first else { return try repository.changedFiles(old: nil, new: commit.tree) }
        var changed = Set(try repository.changedFiles(old: try repository.treeID(ofCommit: first), new: commit.tree))
        for parent in commit.parents.dropFirst() where !changed.isEmpty {
            changed.formIntersection(try repository.changedFiles(old: try repository.treeID(ofCommit: parent), new: commit.tree))
        }
        return changed.sorted()
    }

    public func historyEntries(_ ids: [String]) throws(ParleyError) -> [HistoryEntry] {
        try withRepository { repository throws(GitError) in
            try ids.compactMap(ObjectID.init(hex:)).map { id throws(GitError) in HistoryEntry(try repository.commitInfo(id)) }
        }
    }
}

extension HistoryEntry {
    init(_ commit: CommitInfo) {
        self.init(id: commit.id.hex, authorName: commit.author.name, authorEmail: commit.author.email, time: commit.author.time,
            message: commit.message)
    }
}
