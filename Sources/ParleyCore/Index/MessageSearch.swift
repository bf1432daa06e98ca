import Foundation
import GRDB

/// Full-text search over message bodies and contact names (SQLite FTS5 in
/// the derived index): every word must match, in any case and with or
/// without accents; hits come newest first with the matched words marked.
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
                excerpt: excerpt.replacingOccurrences(of: MessageSearch.matchStart, with: "").replacingOccurrences(of: MessageSearch.matchEnd, with: ""))
        }
    }

    public struct Results: Sendable {
        /// Contacts whose name matches.
        public let contacts: [(number: PhoneNumber, name: String)]
        public let hits: [Hit]
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
    /// read as an operator), all required, the last one as a prefix.
    static func query(_ text: String) -> String? {
        let words = text.split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "'" }).map(String.init)
        guard !words.isEmpty else { return nil }
        return words.enumerated().map { index, word in
            "\"\(word.replacingOccurrences(of: "\"", with: "\"\""))\"" + (index == words.count - 1 ? "*" : "")
        }.joined(separator: " ")
    }

    func run(in db: Database) throws -> Results {
        guard let query = Self.query(text) else { return Results(contacts: [], hits: []) }
        var conditions = ["message_text MATCH ?"]
        var arguments: [(any DatabaseValueConvertible)?] = [query]
        if let number { conditions.append("m.number = ?"); arguments.append(number.e164) }
        if let since { conditions.append("m.time >= ?"); arguments.append(since.timeIntervalSince1970) }
        if let agent { conditions.append("m.agent = ?"); arguments.append(agent) }
        let rows = try Row.fetchAll(db, sql: """
            SELECT m.number, m.id, m.time, m.direction, m.agent, c.name,
                   snippet(message_text, 0, ?, ?, '…', 12) AS excerpt
            FROM message_text JOIN messages m ON m.rowid = message_text.rowid
            LEFT JOIN conversations c ON c.number = m.number
            WHERE \(conditions.joined(separator: " AND "))
            ORDER BY m.time DESC LIMIT ?
            """, arguments: StatementArguments([Self.matchStart, Self.matchEnd] + arguments + [limit])!)
        let hits = rows.compactMap { row -> Hit? in
            guard let number = PhoneNumber(e164: row["number"]), let direction = Direction(rawValue: row["direction"]) else { return nil }
            return Hit(number: number, name: row["name"], messageID: row["id"], time: Date(timeIntervalSince1970: row["time"]),
                       direction: direction, agent: row["agent"], excerpt: row["excerpt"])
        }
        var contacts: [(PhoneNumber, String)] = []
        if number == nil {
            // A contact's text row id is its number's digits.
            for row in try Row.fetchAll(db, sql: "SELECT '+' || rowid AS number, name FROM contact_text WHERE contact_text MATCH ? ORDER BY name LIMIT ?",
                                        arguments: [query, limit]) {
                if let number = PhoneNumber(e164: row["number"]) { contacts.append((number, row["name"])) }
            }
        }
        return Results(contacts: contacts, hits: hits)
    }
}

extension Mailbox {
    /// Messages and contacts matching `search`, from the derived index.
    public func search(_ search: MessageSearch, progress: IndexProgress? = nil) throws(ParleyError) -> MessageSearch.Results {
        try store.index().read(at: store.snapshot(), search: true, progress: progress) { db in try search.run(in: db) }
    }
}
