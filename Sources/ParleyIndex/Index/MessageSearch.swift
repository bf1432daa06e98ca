import Foundation
import GRDB
import ParleyCore

/// Full-text search over message bodies and contact names (SQLite FTS5 in
/// the derived index): every word must match, in any case and with or
/// without accents; a word ending in `*` matches as a prefix. Hits come
/// newest first with the matched words marked.
///
/// Whole words are the default because FTS5 walks one word's list lazily,
/// newest first, and stops at the limit, while a prefix merges the lists of
/// every word it covers before the first hit (about 40 ms for a word in
/// half a million messages).
public struct MessageSearch: Sendable {
    /// Marks around a matched word in `excerpt`; renderers turn them into style.
    public static let matchStart = "\u{1}", matchEnd = "\u{2}"

    public struct Hit: Sendable, Codable, Equatable {
        public let number: PhoneNumber
        public let name: String?
        public let messageID: String
        public let time: Date
        public let direction: Direction
        public let agent: String?
        /// A few words around the matches, with `matchStart`/`matchEnd` around each.
        public let excerpt: String

        /// The same hit with the marks removed (for JSON).
        public func unmarked() -> Hit {
            Hit(number: number, name: name, messageID: messageID, time: time, direction: direction, agent: agent,
                excerpt: excerpt.replacingOccurrences(of: MessageSearch.matchStart, with: "").replacingOccurrences(of: MessageSearch.matchEnd,
                    with: ""))
        }
    }

    /// An internal note (or a handoff's or close's reason) that matches.
    public struct NoteHit: Sendable, Codable, Equatable {
        public let number: PhoneNumber
        public let name: String?
        public let eventID: String
        public let time: Date
        public let agent: String
        public let excerpt: String
    }

    public struct Results: Sendable {
        /// Contacts whose name matches.
        public let contacts: [(number: PhoneNumber, name: String)]
        public let hits: [Hit]
        /// Notes, newest first.
        public var notes: [NoteHit] = []
    }

    public var text: String
    public var number: PhoneNumber?
    public var since: Date?
    public var agent: String?
    public var limit = 50

    public init(text: String, number: PhoneNumber? = nil, since: Date? = nil, agent: String? = nil, limit: Int = 50) {
        self.text = text
        self.number = number
        self.since = since
        self.agent = agent
        self.limit = limit
    }

    /// The words of `text` as an FTS5 query: each quoted (so no word is
    /// read as an operator), all required, those followed by `*` as prefixes.
    static func query(_ text: String) -> String? {
        var words: [String] = []
        var word = ""
        for character in text + " " {
            if character.isLetter || character.isNumber || character == "'" {
                word.append(character)
                continue
            }
            if !word.isEmpty { words.append("\"\(word.replacingOccurrences(of: "\"", with: "\"\""))\"" + (character == "*" ? "*" : "")) }
            word = ""
        }
        return words.isEmpty ? nil : words.joined(separator: " ")
    }

    func run(in db: Database) throws -> Results {
        guard let query = Self.query(text) else { return Results(contacts: [], hits: []) }
        if let agent, try Bool.fetchOne(db, sql: "SELECT 1 FROM messages WHERE agent = ? LIMIT 1", arguments: [agent]) != true {
            return Results(contacts: [], hits: [])
        }
        var conditions = ["message_text MATCH ?"]
        var arguments: StatementArguments = [query]
        if let number { conditions.append("m.number = ?"); arguments += [number.e164] }
        // Row ids order by time, so a start time is a range of the text index.
        if let since { conditions.append("message_text.rowid >= ?"); arguments += [IndexUpdater.rowIDBase(of: since)] }
        if let agent { conditions.append("m.agent = ?"); arguments += [agent] }
        // Newest first by row id: the text index is walked in that order
        // and stops after `limit` rows, however many messages match. One
        // conversation is read the other way round: its messages, each
        // looked up in the text index.
        let rows = try Row.fetchAll(db, sql: """
            SELECT m.number, m.id, m.time, m.direction, m.agent, c.name,
                   snippet(message_text, 0, ?, ?, '…', 12) AS excerpt
            FROM \(number == nil ? "message_text JOIN messages m" : "messages m CROSS JOIN message_text") ON m.rowid = message_text.rowid
            LEFT JOIN conversations c ON c.number = m.number
            WHERE \(conditions.joined(separator: " AND "))
            ORDER BY message_text.rowid DESC LIMIT ?
            """, arguments: [Self.matchStart, Self.matchEnd] + arguments + [limit])
        let hits = rows.compactMap { row -> Hit? in
            guard let number = PhoneNumber(e164: row["number"]), let direction = Direction(rawValue: row["direction"]) else { return nil }
            return Hit(number: number, name: row["name"], messageID: row["id"], time: Date(timeIntervalSince1970: row["time"]),
                       direction: direction, agent: row["agent"], excerpt: row["excerpt"])
        }
        var contacts: [(PhoneNumber, String)] = []
        if number == nil {
            // A contact's text row id is its number's digits; the first
            // `limit` by number are sorted by name (no sort of every match).
            for row in try Row.fetchAll(db,
                sql: "SELECT '+' || rowid AS number, name FROM contact_text WHERE contact_text MATCH ? ORDER BY rowid LIMIT ?",
                                        arguments: [query, limit]) {
                if let number = PhoneNumber(e164: row["number"]) { contacts.append((number, row["name"])) }
            }
        }
        return Results(contacts: contacts.sorted { $0.1 < $1.1 }, hits: hits, notes: try notes(in: db, query: query))
    }

    /// Notes matching `query`, with the same conversation, start and agent conditions as the messages.
    private func notes(in db: Database, query: String) throws -> [NoteHit] {
        var conditions = ["note_text MATCH ?"]
        var arguments: StatementArguments = [query]
        if let number { conditions.append("e.number = ?"); arguments += [number.e164] }
        if let since { conditions.append("e.time >= ?"); arguments += [since.timeIntervalSince1970] }
        if let agent { conditions.append("e.actor = ?"); arguments += [agent] }
        let rows = try Row.fetchAll(db, sql: """
            SELECT e.number, e.id, e.time, e.actor, c.name, snippet(note_text, 0, ?, ?, '…', 12) AS excerpt
            FROM note_text JOIN events e ON e.rowid = note_text.rowid LEFT JOIN conversations c ON c.number = e.number
            WHERE \(conditions.joined(separator: " AND ")) ORDER BY e.time DESC LIMIT ?
            """, arguments: [Self.matchStart, Self.matchEnd] + arguments + [limit])
        return rows.compactMap { row in
            guard let number = PhoneNumber(e164: row["number"]) else { return nil }
            return NoteHit(number: number, name: row["name"], eventID: row["id"], time: Date(timeIntervalSince1970: row["time"]),
                           agent: row["actor"], excerpt: row["excerpt"])
        }
    }
}

extension MessageSearch {
    /// Messages and contacts matching this search in `mailbox`, from its derived index.
    public func results(in mailbox: Mailbox, progress: IndexProgress? = nil) throws(ParleyError) -> Results {
        try mailbox.store.sqlIndex().read(at: mailbox.store.snapshot(), details: .texts, progress: progress) { db in try run(in: db) }
    }
}
