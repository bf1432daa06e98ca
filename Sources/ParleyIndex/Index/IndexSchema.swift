import GRDB
import ParleyCore

/// The index's tables. An index written by another schema version is
/// dropped and rebuilt: it holds nothing that Git does not.
enum IndexSchema {
    /// Every table, emptied to start again from Git.
    static let tables = ["buckets", "conversations", "messages", "message_text", "contact_text", "conversation_commits", "receipts", "events", "note_text",
                         "consent_events", "outcomes", "appointments", "automation_records", "report_facts", "contacts"]

    static func prepare(_ db: Database, version: String) throws {
        try db.execute(sql: "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        let stored = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'schema'")
        guard stored != version else { return }
        for table in tables {
            try db.execute(sql: "DROP TABLE IF EXISTS \(table)")
        }
        try db.execute(sql: "DELETE FROM meta")
        try db.execute(sql: """
            CREATE TABLE buckets(name TEXT PRIMARY KEY, content_id TEXT NOT NULL);
            CREATE TABLE conversations(
                number TEXT PRIMARY KEY, bucket TEXT NOT NULL, content_id TEXT,
                summary BLOB, problem_path TEXT, problem_line INTEGER, problem TEXT,
                has_messages INTEGER NOT NULL DEFAULT 0, is_open INTEGER NOT NULL DEFAULT 1,
                opted_out INTEGER NOT NULL DEFAULT 0, under_review INTEGER NOT NULL DEFAULT 0,
                assignee TEXT, tags TEXT NOT NULL DEFAULT '', mentions TEXT NOT NULL DEFAULT '', snoozed_until REAL,
                waiting TEXT, since REAL, name TEXT,
                searched_id TEXT, detailed_id TEXT, rank REAL);
            CREATE INDEX conversations_bucket ON conversations(bucket);
            -- The inbox's order in one column, so a page is an index range, not a sort.
            CREATE INDEX conversations_inbox ON conversations(has_messages, is_open, opted_out, rank, number);
            CREATE INDEX conversations_problems ON conversations(number) WHERE problem IS NOT NULL;
            CREATE INDEX conversations_review ON conversations(number) WHERE under_review = 1;
            -- Conversations whose files search and reports have yet to read (IndexUpdater.catchUpDetails).
            CREATE INDEX conversations_unsearched ON conversations(number) WHERE content_id IS NULL OR searched_id IS NOT content_id;
            CREATE INDEX conversations_undetailed ON conversations(number) WHERE content_id IS NULL OR detailed_id IS NOT content_id;
            -- A message's delivery (status, error_code, price) is settled from its receipts.
            CREATE TABLE messages(
                number TEXT NOT NULL, name TEXT NOT NULL, content_id TEXT NOT NULL, id TEXT NOT NULL, time REAL NOT NULL,
                direction TEXT NOT NULL, agent TEXT, template TEXT, segments INTEGER NOT NULL DEFAULT 1, overrides TEXT NOT NULL DEFAULT '',
                initial_status TEXT NOT NULL, status TEXT, error_code TEXT, price REAL, price_unit TEXT, keyword INTEGER NOT NULL DEFAULT 0,
                approved_by TEXT, line TEXT, gateway TEXT,
                PRIMARY KEY(number, name));
            CREATE TABLE receipts(number TEXT NOT NULL, name TEXT NOT NULL, content_id TEXT NOT NULL, message_id TEXT NOT NULL,
                status TEXT NOT NULL, time REAL NOT NULL, error_code TEXT, price REAL, price_unit TEXT, PRIMARY KEY(number, name));
            CREATE TABLE events(number TEXT NOT NULL, name TEXT NOT NULL, content_id TEXT NOT NULL, id TEXT NOT NULL, time REAL NOT NULL,
                kind TEXT NOT NULL, actor TEXT NOT NULL, assignee TEXT, use_case TEXT, outcome TEXT, PRIMARY KEY(number, name));
            CREATE TABLE consent_events(number TEXT NOT NULL, name TEXT NOT NULL, content_id TEXT NOT NULL, id TEXT NOT NULL,
                time REAL NOT NULL, kind TEXT NOT NULL, message_id TEXT, resolution TEXT, PRIMARY KEY(number, name));
            -- Text rows share their rowid with messages (and, for contacts, the
            -- number's digits), so updates find them without a scan. A
            -- message's rowid orders by its time (IndexUpdater.rowIDBase).
            CREATE VIRTUAL TABLE message_text USING fts5(body, tokenize = 'unicode61 remove_diacritics 2');
            -- The text of internal notes (and of any event's note), by the event's row id.
            CREATE VIRTUAL TABLE note_text USING fts5(body, tokenize = 'unicode61 remove_diacritics 2');
            CREATE VIRTUAL TABLE contact_text USING fts5(name, tokenize = 'unicode61 remove_diacritics 2');
            -- Which commits changed which conversation (HistoryUpdater), newest
            -- first by `position` within a conversation.
            CREATE TABLE conversation_commits(number TEXT NOT NULL, position INTEGER NOT NULL, commit_id TEXT NOT NULL,
                PRIMARY KEY(number, position)) WITHOUT ROWID;
            """)
        try createReportTables(db)
        try createDetailIndexes(db)
        try db.execute(sql: "INSERT INTO meta(key, value) VALUES ('schema', ?)", arguments: [version])
    }

    /// The secondary indexes of the details' tables (`IndexUpdater.catchUpDetails`).
    /// A rebuild of most conversations drops them first and creates them
    /// again at the end, in the same transaction: SQLite then sorts each
    /// once, instead of inserting every row into seven B-trees in random
    /// order and again when its delivery is settled.
    static let detailIndexes = [
        // A line's latest sends, for its pause (Deliverability.review).
        "messages_line ON messages(line, direction, time)",
        // The report's deliverability counts, from the index alone in its order (DeliverabilityReport).
        "messages_delivery ON messages(direction, line, template, gateway, status, initial_status, error_code, agent, time)",
        // The few approved texts, for the report's review section without a scan.
        "messages_approved ON messages(time) WHERE approved_by IS NOT NULL",
        "messages_agent ON messages(agent)",
        // A report reads every message in conversation and time order: a covering index is
        // one sequential scan, where the primary key would look each row up in time order.
        "messages_report ON messages(number, name, time, direction, agent, template, status, initial_status, error_code, "
            + "price, price_unit, overrides, keyword)",
        "messages_id ON messages(number, id)",
        "receipts_message ON receipts(number, message_id)",
        // Events of one kind in a period (the report's snoozes), and the audit's triage marks.
        "events_kind ON events(kind, time)",
        // Due appointments, for the automations that text ahead of them.
        "appointments_time ON appointments(time)",
    ]

    static func createDetailIndexes(_ db: Database) throws {
        for definition in detailIndexes { try db.execute(sql: "CREATE INDEX IF NOT EXISTS " + definition) }
    }

    static func dropDetailIndexes(_ db: Database) throws {
        for definition in detailIndexes {
            try db.execute(sql: "DROP INDEX IF EXISTS " + definition.prefix { $0 != " " })
        }
    }

    /// What reports and audits read beside the rows: walked facts, imported outcomes, where contacts are.
    private static func createReportTables(_ db: Database) throws {
        try db.execute(sql: """
            -- Each conversation's report facts, walked once when its files change (FactCoding).
            CREATE TABLE report_facts(number TEXT PRIMARY KEY, facts BLOB NOT NULL) WITHOUT ROWID;
            CREATE TABLE outcomes(number TEXT NOT NULL, name TEXT NOT NULL, content_id TEXT NOT NULL, id TEXT NOT NULL, time REAL NOT NULL,
                use_case TEXT NOT NULL, outcome TEXT NOT NULL, PRIMARY KEY(number, name));
            CREATE TABLE appointments(number TEXT NOT NULL, name TEXT NOT NULL, content_id TEXT NOT NULL, id TEXT NOT NULL, time REAL NOT NULL,
                use_case TEXT NOT NULL, source TEXT NOT NULL, imported_by TEXT NOT NULL, PRIMARY KEY(number, name));
            CREATE TABLE automation_records(number TEXT NOT NULL, name TEXT NOT NULL, content_id TEXT NOT NULL, id TEXT NOT NULL,
                time REAL NOT NULL, kind TEXT NOT NULL, automation TEXT NOT NULL, subject TEXT NOT NULL, message TEXT, answer TEXT,
                use_case TEXT, agent TEXT, PRIMARY KEY(number, name));
            -- Where each contact is and its line type, for an audit's replay without reading Git.
            CREATE TABLE contacts(number TEXT PRIMARY KEY, time_zone TEXT, state TEXT, line_type TEXT, line_type_checked REAL,
                                  line_type_source TEXT) WITHOUT ROWID;
            """)
    }
}
