import Foundation
import Synchronization
import ParleyCore
import ParleyIndex

/// A `MailboxStore` kept in memory: every commit is a full copy of the
/// file map. It runs the same contract tests as the Git store and lets
/// Core tests run without a disk.
public final class InMemoryStore: MailboxStore {
    private struct Commit {
        let id: String
        let files: [String: Data]
        let changed: Set<String>
        let entry: HistoryEntry
    }

    private struct Snapshot: StoreSnapshot {
        let revision: String?
        let files: [String: Data]

        func read(_ path: String) throws(ParleyError) -> Data? { files[path] }

        func list(_ directory: String) throws(ParleyError) -> [StoreEntry]? {
            let prefix = directory.isEmpty ? "" : directory + "/"
            var entries: [String: Bool] = [:]
            for path in files.keys where path.hasPrefix(prefix) {
                let rest = path.dropFirst(prefix.count)
                if let slash = rest.firstIndex(of: "/") {
                    entries[String(rest[..<slash])] = true
                } else {
                    entries[String(rest)] = false
                }
            }
            guard !entries.isEmpty else { return nil }
            return entries.keys.sorted().map { StoreEntry(name: $0, isDirectory: entries[$0]!, contentID: nil) }
        }

        func contentID(_ path: String) throws(ParleyError) -> String? { nil }
    }

    private let commits = Mutex<[Commit]>([])

    public init() {}

    public func prepare(format: Int, time: Date) throws(ParleyError) {}

    private let derivedIndex = Mutex<MailboxIndex?>(nil)

    public func index() throws(ParleyError) -> any DerivedIndex {
        try MailboxIndex.shared(in: derivedIndex, path: nil)
    }

    public func snapshot() throws(ParleyError) -> any StoreSnapshot {
        commits.withLock { commits in
            Snapshot(revision: commits.last?.id, files: commits.last?.files ?? [:])
        }
    }

    public func snapshot(at revision: String) throws(ParleyError) -> any StoreSnapshot {
        try commits.withLock { (commits: inout [Commit]) throws(ParleyError) -> any StoreSnapshot in
            guard let commit = commits.first(where: { $0.id == revision }) else { throw .notFound("no commit \(revision)") }
            return Snapshot(revision: commit.id, files: commit.files)
        }
    }

    public func commit(_ transaction: (any StoreSnapshot) throws(ParleyError) -> StoreChange?) throws(ParleyError) -> CommitRecord? {
        try commits.withLock { (commits: inout [Commit]) throws(ParleyError) -> CommitRecord? in
            let current = commits.last?.files ?? [:]
            guard let change = try transaction(Snapshot(revision: commits.last?.id, files: current)) else { return nil }
            if let secret = change.files.keys.first(where: MailboxLayout.isSecretPath) {
                throw .invalidInput("refusing to commit '\(secret)': it looks like a secret; keep credentials outside the repository")
            }
            var files = current
            var changed = Set<String>()
            for (path, data) in change.files where files[path] != data {
                files[path] = data
                changed.insert(path)
            }
            guard !changed.isEmpty else { return nil }
            let id = String(format: "%040x", commits.count + 1)
            let entry = HistoryEntry(id: id, authorName: change.author.name, authorEmail: change.author.email, time: change.time,
                message: change.message)
            commits.append(Commit(id: id, files: files, changed: changed, entry: entry))
            return CommitRecord(id: id)
        }
    }

    public func history(touching paths: [String], limit: Int?) throws(ParleyError) -> [HistoryEntry] {
        commits.withLock { commits in
            let matching = commits.reversed().filter { commit in
                paths.isEmpty || commit.changed.contains { changed in paths.contains { changed == $0 || changed.hasPrefix($0 + "/") } }
            }
            return Array(matching.prefix(limit ?? Int.max).map(\.entry))
        }
    }

    public func walkConversationChanges(
        at snapshot: any StoreSnapshot, after known: String?, restart: () throws(ParleyError) -> Void,
        _ body: (ConversationChange) throws(ParleyError) -> Void
    ) throws(ParleyError) -> String? {
        let all = commits.withLock { $0 }
        let end = all.firstIndex { $0.id == snapshot.revision }.map { $0 + 1 } ?? 0
        var start = 0
        if let known {
            if let index = all[..<end].firstIndex(where: { $0.id == known }) { start = index + 1 } else { try restart() }
        }
        for commit in all[start..<end].reversed() {
            // conversations/NN/+E164/… names the conversation it changed.
            let numbers = Set(commit.changed.compactMap { path -> PhoneNumber? in
                let parts = path.split(separator: "/")
                return parts.count > 2 && parts[0] == "\(MailboxLayout.conversationsDirectory)" ? PhoneNumber(e164: String(parts[2])) : nil
            })
            try body(ConversationChange(commit: commit.id, numbers: numbers.sorted()))
        }
        return snapshot.revision
    }

    public func walkRecordCommits(at snapshot: any StoreSnapshot, _ body: (RecordCommit) throws(ParleyError) -> Void) throws(ParleyError) {
        let all = commits.withLock { $0 }
        let end = all.firstIndex { $0.id == snapshot.revision }.map { $0 + 1 } ?? 0
        for commit in all[..<end].reversed() {
            let trailers = CommitMessage.trailers(in: commit.entry.message)
            let files = RecordCommit.isParleys(trailers) ? nil : commit.changed.sorted()
            try body(RecordCommit(entry: commit.entry, trailers: trailers, changedFiles: files))
        }
    }

    public func erase(_ scope: ErasureScope, record: (ErasureTally) throws(ParleyError) -> StoreChange) throws(ParleyError) -> ErasureTally {
        let tally = commits.withLock { commits in
            var removed: Set<String> = [], rewritten = 0
            commits = commits.map { commit in
                let files = commit.files.filter { path, data in
                    let erased = scope.paths.contains { path == $0 || path.hasPrefix($0 + "/") }
                        || ErasureScope.directoriesSearched.contains { path.hasPrefix($0 + "/") } && scope.mentions(data)
                    if erased { removed.insert(path) }
                    return !erased
                }
                let message = scope.scrubbed(commit.entry.message)
                guard files != commit.files || message != commit.entry.message else { return commit }
                rewritten += 1
                let entry = HistoryEntry(id: commit.entry.id, authorName: commit.entry.authorName, authorEmail: commit.entry.authorEmail,
                                         time: commit.entry.time, message: message)
                return Commit(id: commit.id, files: files, changed: commit.changed.filter { files[$0] != nil }, entry: entry)
            }
            return ErasureTally(commitsRewritten: rewritten, filesRemoved: removed.count)
        }
        let change = try record(tally)
        _ = try commit { _ throws(ParleyError) in change }
        return tally
    }

    public func historyEntries(_ ids: [String]) throws(ParleyError) -> [HistoryEntry] {
        let byID = commits.withLock { commits in Dictionary(uniqueKeysWithValues: commits.map { ($0.id, $0.entry) }) }
        return ids.compactMap { byID[$0] }
    }

}
