import Foundation
import Git
import ParleyCore

/// How `parley sync` carries an erasure between clones (docs/DATA.md):
/// an erasure record one side has and the other lacks means the other
/// side's history still holds what was erased. This clone's history is
/// rewritten by the same rules (so the commits both share come out with the
/// same ids), or, when this clone made the erasure, the hub's history is,
/// and the push that follows replaces the hub's branch under a lease.
struct ErasureSync {
    /// This clone's records rewritten, when the hub had an erasure it lacked.
    let local: ObjectID?
    /// The hub's records rewritten, when this clone had an erasure the hub lacked.
    let upstream: ObjectID?
    /// The hub's commit the forced push must still find there.
    let lease: ObjectID
}

extension GitMailboxStore {
    func reconcileErasures(remote: String) throws(ParleyError) -> ErasureSync? {
        let tips = try withRepository { repository throws(GitError) in
            (try repository.referenceTarget(Self.recordsReference),
             try repository.referenceTarget("refs/remotes/\(remote)/\(MailboxLayout.recordsBranch)"))
        }
        guard let local = tips.0, let upstream = tips.1, local != upstream else { return nil }
        let ours = try recordsSnapshot(local), theirs = try recordsSnapshot(upstream)
        guard try ours.contentID(MailboxLayout.erasuresDirectory) != theirs.contentID(MailboxLayout.erasuresDirectory) else { return nil }
        let mine = try ErasureRecord.all(in: ours), hubs = try ErasureRecord.all(in: theirs)
        let onlyHubs = hubs.filter { mine[$0.key] == nil }, onlyMine = mine.filter { hubs[$0.key] == nil }
        guard !onlyHubs.isEmpty || !onlyMine.isEmpty else { return nil }
        let repository = try rewritingHandle()
        let newLocal = try apply(onlyHubs, keyFrom: theirs, to: local, in: repository)
        let newUpstream = try apply(onlyMine, keyFrom: ours, to: upstream, in: repository)
        if newLocal != nil { dropDerivedData() }
        return ErasureSync(local: newLocal, upstream: newUpstream, lease: upstream)
    }

    /// `tip`'s history with every record's erasure applied, in one rewrite
    /// that scrubs in the records' order, as the clone that wrote them
    /// did; nil when none found anything to erase.
    private func apply(_ records: [String: ErasureRecord], keyFrom source: any StoreSnapshot, to tip: ObjectID,
                       in repository: Repository) throws(ParleyError) -> ObjectID? {
        guard !records.isEmpty else { return nil }
        let key = try SuppressionList.key(in: source).key
        let snapshot = try recordsSnapshot(tip)
        var scopes: [ErasureScope] = []
        for name in records.keys.sorted() {
            if let scope = try ErasureScope.resolve(records[name]!, key: key, in: snapshot) { scopes.append(scope) }
        }
        guard !scopes.isEmpty else { return nil }
        do {
            return try Self.rewrite(tip, in: repository, erasing: .joint(scopes)).0
        } catch {
            throw .storage("cannot apply the erasures \(records.keys.sorted().joined(separator: ", ")) to this clone's history: "
                + "\(error.message); nothing was changed")
        }
    }

    /// The records as of one commit of the records branch.
    private func recordsSnapshot(_ commit: ObjectID) throws(ParleyError) -> GitSnapshot {
        try withRepository { repository throws(GitError) in
            GitSnapshot(store: self, main: .unborn, records: BranchTip(commit: commit, tree: try repository.treeID(ofCommit: commit)))
        }
    }
}
