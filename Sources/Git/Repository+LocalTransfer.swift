internal import CLibGit2
import Foundation

/// Push and fetch with a bare repository on this machine (a path or a
/// `file://` URL: a hub on a shared disk, a mounted volume) without
/// libgit2's pack builder. Before it writes a pack, the builder marks every
/// tree of the commits the other side already has as uninteresting: every
/// folder of the mailbox, half a minute at a million messages for a day's
/// work. Here the objects to send are found the way `git pack-objects
/// --sparse` finds them: each new commit's tree is compared with its first
/// parent's, opening only the subtrees that differ, so a transfer costs
/// what is new, not what is old. Network remotes still go through libgit2.
extension Repository {
    /// The bare repository remote `name` points at when it is on this
    /// machine and fetched with the default refspec; nil otherwise.
    /// The corresponding libgit2 function is `git_remote_get_fetch_refspecs`.
    func localPeer(remote name: String) throws(GitError) -> Repository? {
        guard let url = remoteURL(name), let path = Self.localPath(url) else { return nil }
        let refspecs = try withHandle("git_remote_lookup", create: { git_remote_lookup(&$0, pointer, name) }, free: git_remote_free) {
            remote throws(GitError) -> [String] in
            var array = git_strarray()
            try check(git_remote_get_fetch_refspecs(&array, remote), "git_remote_get_fetch_refspecs")
            defer { git_strarray_dispose(&array) }
            return (0..<array.count).compactMap { array.strings[$0].map { String(cString: $0) } }
        }
        guard refspecs == ["+refs/heads/*:refs/remotes/\(name)/*"], let peer = try Repository.open(at: path), peer.isBare else { return nil }
        return peer
    }

    /// The path a remote URL names when it is a local one, by Git's rules:
    /// `file://PATH`, or a path with no scheme and no `host:` before its first slash.
    static func localPath(_ url: String) -> String? {
        if url.hasPrefix("file://") { return String(url.dropFirst("file://".count)) }
        guard !url.contains("://") else { return nil }
        if let colon = url.firstIndex(of: ":"), !url[..<colon].contains("/") { return nil }
        return url
    }

    /// `push` to a bare repository on this machine: every reference is
    /// checked first (fast-forward, or the lease for a forced one), so a
    /// refused push changes nothing; then one pack of the new objects is
    /// written into the peer, and each reference moves only if it still
    /// points where it did (someone else's push meanwhile is a rejection).
    func pushLocally(to peer: Repository, remote name: String, refspecs: [String],
                     leases: [String: ObjectID]) throws(GitError) -> [PushRejection] {
        var (updates, rejections) = try planPush(refspecs: refspecs, leases: leases) { destination throws(GitError) in
            try peer.referenceTarget(destination)
        }
        guard rejections.isEmpty, !updates.isEmpty else { return rejections }
        let haves = try present(peer.referenceTargets(under: "refs/heads/").map(\.target))
        try copyObjects(try newObjects(from: updates.map(\.new), hiding: haves), into: peer)
        for update in updates {
            do {
                try peer.updateReference(update.destination, to: update.new, expecting: update.old, logMessage: "push")
            } catch where error.code == .modified || error.code == .exists {
                rejections.append(PushRejection(reference: update.destination, reason: "non-fast-forward (fetch first)"))
                continue
            }
            try trackPushed(update, remote: name)
        }
        return rejections
    }

    /// What a push of `refspecs` asks the remote to do, reference by
    /// reference, given where the remote's references point
    /// (`remoteTarget`): the updates, or the rejections that stop it whole
    /// (a lease the remote moved past, a push that is not a fast-forward).
    func planPush(refspecs: [String], leases: [String: ObjectID],
                  remoteTarget: (String) throws(GitError) -> ObjectID?) throws(GitError) -> ([PushUpdate], [PushRejection]) {
        var updates: [PushUpdate] = []
        var rejections: [PushRejection] = []
        for refspec in refspecs {
            let forced = refspec.hasPrefix("+")
            let parts = refspec.dropFirst(forced ? 1 : 0).split(separator: ":", maxSplits: 1).map(String.init)
            let source = parts[0], destination = parts.count > 1 ? parts[1] : parts[0]
            guard let new = try referenceTarget(source) else {
                throw GitError(code: .notFound, function: "push", message: "\(source) does not exist here")
            }
            let old = try remoteTarget(destination)
            if let lease = leases[destination], old != lease {
                rejections.append(PushRejection(reference: destination, reason: "stale info: the remote moved since the last fetch"))
            } else if !forced, let old, old != new, try !isFastForward(from: old, to: new) {
                rejections.append(PushRejection(reference: destination, reason: "non-fast-forward (fetch first)"))
            } else if old != new {
                updates.append(PushUpdate(destination: destination, old: old, new: new))
            }
        }
        return (updates, rejections)
    }

    /// After a pushed branch moved: its remote-tracking reference follows, as `git push` does.
    func trackPushed(_ update: PushUpdate, remote name: String) throws(GitError) {
        guard update.destination.hasPrefix("refs/heads/") else { return }
        try setReference("refs/remotes/\(name)/" + update.destination.dropFirst("refs/heads/".count), to: update.new, logMessage: "update by push")
    }

    /// `fetch` from a bare repository on this machine: the peer's branches
    /// become `refs/remotes/NAME/*`, with one pack of the objects this
    /// repository lacks.
    func fetchLocally(from peer: Repository, remote name: String) throws(GitError) {
        let branches = try peer.referenceTargets(under: "refs/heads/")
        let ours = try referenceTargets(under: "refs/heads/") + referenceTargets(under: "refs/remotes/\(name)/")
        let haves = try peer.present(ours.map(\.target))
        let tips = branches.map(\.target)
        if try present(tips).count < tips.count { try peer.copyObjects(try peer.newObjects(from: tips, hiding: haves), into: self) }
        for branch in branches {
            try setReference("refs/remotes/\(name)/" + branch.name.dropFirst("refs/heads/".count), to: branch.target, logMessage: "fetch")
        }
    }

    /// The objects reachable from `tips` and not from `haves` (commits this
    /// repository has whose whole history the other side has too). A commit
    /// brings its tree's entries that differ from its first parent's; a
    /// root commit brings all of them. Objects the other side happens to
    /// have may be listed; `copyObjects` leaves those out.
    func newObjects(from tips: [ObjectID], hiding haves: [ObjectID]) throws(GitError) -> [ObjectID] {
        var found: [ObjectID] = []
        try forEachNewObject(from: tips, hiding: haves) { id, _ in found.append(id) }
        return found
    }

    /// Each object `newObjects` lists, once, with its path in the tree
    /// (empty for a commit): a pack builder's delta search pairs the
    /// versions of one file or folder by it.
    ///
    /// The walk must start from its commits newest first: it follows
    /// parents in date order from its starting list as it is, so with the
    /// hidden `main` (old) before the hidden records tip, it followed a new
    /// commit's parent down the records history (2.1 million commits, 35 s)
    /// before the records tip could mark it as known. libgit2 takes the
    /// starting commits in the order given before 1.7, reversed since.
    /// The corresponding libgit2 functions are `git_revwalk_hide` and `git_revwalk_next`.
    func forEachNewObject(from tips: [ObjectID], hiding haves: [ObjectID], _ body: (ObjectID, String) -> Void) throws(GitError) {
        var seen = Set<ObjectID>()
        var starts: [(id: ObjectID, hidden: Bool, time: Int64)] = []
        for (id, hidden) in tips.map({ ($0, false) }) + haves.map({ ($0, true) }) {
            // An annotated tag (not a commit) counts as the oldest; the walk peels it.
            starts.append((id, hidden, (try? withCommit(id) { commit throws(GitError) in Int64(git_commit_time(commit)) }) ?? 0))
        }
        try withHandle("git_revwalk_new", create: { git_revwalk_new(&$0, pointer) }, free: git_revwalk_free) { walk throws(GitError) in
            let newestFirst = starts.sorted { $0.time > $1.time }
            for start in LibGit2.walksStartsInOrderGiven ? newestFirst : newestFirst.reversed() {
                var raw = start.id.raw
                if start.hidden {
                    try check(git_revwalk_hide(walk, &raw), "git_revwalk_hide")
                } else {
                    try check(git_revwalk_push(walk, &raw), "git_revwalk_push")
                }
            }
            var oid = git_oid()
            while true {
                let result = git_revwalk_next(&oid, walk)
                if result == GIT_ITEROVER.rawValue { break }
                try check(result, "git_revwalk_next")
                let (tree, parentTree) = try withCommit(ObjectID(oid)) { commit throws(GitError) -> (ObjectID, ObjectID?) in
                    let tree = ObjectID(git_commit_tree_id(commit).pointee)
                    guard git_commit_parentcount(commit) > 0 else { return (tree, nil) }
                    return (tree, try treeID(ofCommit: ObjectID(git_commit_parent_id(commit, 0).pointee)))
                }
                if seen.insert(ObjectID(oid)).inserted { body(ObjectID(oid), "") }
                try visitNew(tree: tree, at: "", comparedTo: parentTree, seen: &seen, body)
            }
        }
    }

    /// `tree` and, below it, every entry that `old` (the same folder in the parent) does not have.
    private func visitNew(tree: ObjectID, at path: String, comparedTo old: ObjectID?, seen: inout Set<ObjectID>,
                          _ body: (ObjectID, String) -> Void) throws(GitError) {
        guard tree != old, seen.insert(tree).inserted else { return }
        body(tree, path)
        var before: [String: ObjectID] = [:]
        if let old { for entry in try entries(ofTree: old) { before[entry.name] = entry.id } }
        for entry in try entries(ofTree: tree) where before[entry.name] != entry.id {
            let entryPath = path.isEmpty ? entry.name : path + "/" + entry.name
            switch entry.kind {
            case .tree: try visitNew(tree: entry.id, at: entryPath, comparedTo: before[entry.name], seen: &seen, body)
            case .blob: if seen.insert(entry.id).inserted { body(entry.id, entryPath) }
            case .other: continue // a submodule's commit lives in another repository
            }
        }
    }

    /// Writes the objects of `ids` that `destination` lacks into it as one pack.
    private func copyObjects(_ ids: [ObjectID], into destination: Repository) throws(GitError) {
        let missing = Set(try destination.present(ids))
        let copied = ids.filter { !missing.contains($0) }
        guard !copied.isEmpty else { return }
        try destination.writePack(of: copied, readFrom: self)
    }

    /// Whether `new` is `old` or descends from it, as this repository knows them.
    private func isFastForward(from old: ObjectID, to new: ObjectID) throws(GitError) -> Bool {
        guard try hasObject(old) else { return false }
        return try isAncestor(old, of: new)
    }

    /// The ones of `ids` this object database holds.
    func present(_ ids: [ObjectID]) throws(GitError) -> [ObjectID] {
        var held: [ObjectID] = []
        for id in ids where try hasObject(id) { held.append(id) }
        return held
    }

    /// Whether the object database holds `id`.
    /// The corresponding libgit2 function is `git_odb_exists`.
    func hasObject(_ id: ObjectID) throws(GitError) -> Bool {
        try withObjectDatabase { odb in
            var raw = id.raw
            return git_odb_exists(odb, &raw) == 1
        }
    }

    /// The direct references whose names start with `prefix`, with their targets.
    /// The corresponding libgit2 function is `git_reference_iterator_glob_new`.
    func referenceTargets(under prefix: String) throws(GitError) -> [(name: String, target: ObjectID)] {
        let create = { (iterator: inout OpaquePointer?) in git_reference_iterator_glob_new(&iterator, self.pointer, prefix + "*") }
        return try withHandle("git_reference_iterator_glob_new", create: create, free: git_reference_iterator_free) { iterator in
            var found: [(String, ObjectID)] = []
            var reference: OpaquePointer?
            while git_reference_next(&reference, iterator) == 0 {
                if let name = git_reference_name(reference), let target = git_reference_target(reference) {
                    found.append((String(cString: name), ObjectID(target.pointee)))
                }
                git_reference_free(reference)
            }
            return found
        }
    }

    /// Points a reference at `target` whatever it pointed at, as a fetch moves remote-tracking references.
    /// The corresponding libgit2 function is `git_reference_create`.
    func setReference(_ name: String, to target: ObjectID, logMessage: String) throws(GitError) {
        var reference: OpaquePointer?
        defer { git_reference_free(reference) }
        var raw = target.raw
        try check(git_reference_create(&reference, pointer, name, &raw, 1, logMessage), "git_reference_create")
    }
}

/// One reference a push moves: from `old` (nil: it is new) to `new`.
struct PushUpdate {
    let destination: String
    let old: ObjectID?
    let new: ObjectID
}
