import Foundation
import GRDB
import ParleyCore

/// `parley log NUMBER` and the consent ledger from the derived index: the
/// commits that changed one conversation, newest first, without walking
/// the whole history each time (a year of one commit per operation is
/// millions of commits).
///
/// The index records, per conversation, the commits that changed it and
/// the tip it walked to; each read walks only the commits since then. The
/// first read after a rebuild walks everything once, with progress.
extension MailboxIndex {
    /// The ids of the commits that changed `number`'s conversation, newest first.
    public func commits(of number: PhoneNumber, limit: Int?, at snapshot: any StoreSnapshot, store: any MailboxStore,
                        progress: IndexProgress?) throws(ParleyError) -> [String] {
        try transaction { db in
            try Self.catchUpHistory(db, at: snapshot, store: store, progress: progress)
            return try String.fetchAll(db, sql: "SELECT commit_id FROM conversation_commits WHERE number = ? ORDER BY position DESC LIMIT ?",
                                       arguments: [number.e164, limit ?? -1])
        }
    }

    /// Walks from the tip the index last saw to the snapshot's. Positions
    /// grow with every walk and fall within one (a walk goes newest first),
    /// so `position DESC` is newest first across walks.
    private static func catchUpHistory(_ db: Database, at snapshot: any StoreSnapshot, store: any MailboxStore, progress: IndexProgress?) throws {
        let known = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'history_tip'")
        let walk = (try Int64.fetchOne(db, sql: "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'history_walk'") ?? 0) + 1
        var walked: Int64 = 0
        let tip = try store.walkConversationChanges(at: snapshot, after: known, restart: { () throws(ParleyError) in
            do { try db.execute(sql: "DELETE FROM conversation_commits") } catch { throw .storage("cannot reset the index's history: \(error)") }
        }) { change throws(ParleyError) in
            walked += 1
            do {
                let insert = try db.cachedStatement(sql: "INSERT OR REPLACE INTO conversation_commits(number, position, commit_id) VALUES (?, ?, ?)")
                for number in change.numbers { try insert.execute(arguments: [number.e164, walk << 32 - walked, change.commit]) }
            } catch {
                throw .storage("cannot index commit \(change.commit): \(error)")
            }
            if walked % 10_000 == 0 { progress?(Int(walked), 0) }
        }
        guard walked > 0 || tip != known else { return }
        try db.execute(sql: "INSERT OR REPLACE INTO meta(key, value) VALUES ('history_tip', ?), ('history_walk', ?)",
            arguments: [tip ?? "", "\(walk)"])
        if walked >= 10_000 { progress?(Int(walked), Int(walked)) }
    }
}
