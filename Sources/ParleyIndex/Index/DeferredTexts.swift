import GRDB

/// Message texts held back while a rebuild writes most conversations, then
/// written to the search table at once in row id order.
///
/// FTS5 writes the terms it holds out as a new segment whenever a row id is
/// not above the last one, and merges segments as they pile up. A message's
/// row id follows its time (`IndexUpdater.rowIDBase`), so conversation by
/// conversation the ids go back at nearly every conversation: a first
/// search at a million messages wrote one small segment per conversation
/// and merged them over and over. The texts wait in a temporary table in
/// the order they came, and one sorted insert builds the search table.
final class DeferredTexts {
    private let db: Database
    private let insert: Statement

    init(_ db: Database) throws {
        self.db = db
        try db.execute(sql: """
            DROP TABLE IF EXISTS temp.deferred_text;
            CREATE TEMP TABLE deferred_text(message_rowid INTEGER NOT NULL, body TEXT NOT NULL);
            """)
        insert = try db.makeStatement(sql: "INSERT INTO temp.deferred_text(message_rowid, body) VALUES (?, ?)")
    }

    func add(rowID: Int64, body: String) throws {
        try insert.execute(arguments: [rowID, body])
    }

    /// Writes every text held back to the search table, and forgets them.
    func write() throws {
        try db.execute(sql: """
            INSERT INTO message_text(rowid, body) SELECT message_rowid, body FROM temp.deferred_text ORDER BY message_rowid;
            DROP TABLE temp.deferred_text;
            """)
    }
}
