import ArgumentParser
import Foundation
import ParleyCore
import ParleyIndex

struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Find messages and contacts by their words.",
        discussion: """
            Every word must match, whole, in any case and with or without accents; a
            word ending in * matches as a prefix ("resched*" finds "reschedule"). Messages come
            newest first as a short excerpt with the matched words marked. Read from
            the derived index under .git/parley/ (rebuilt from Git when missing).

            Examples:
              parley search crown
              parley search "resched*"
              parley search "thursday 3" --from "(312) 555-0147"
              parley search refund --since 2026-03-01 --agent sam
              parley search insurance --json
            """)

    @OptionGroup var repository: RepositoryOptions
    @Argument(help: "The words to find.") var text: String
    @Option(help: ArgumentHelp("Only this customer's conversation.", valueName: "number")) var from: String?

    @Option(help: ArgumentHelp("Only messages from this day (YYYY-MM-DD, your time zone) or time (ISO 8601) on.", valueName: "date"))
    var since: DayOrTime?

    @Option(help: ArgumentHelp("Only messages this agent sent.", valueName: "handle")) var agent: String?
    @Option(help: "Show at most this many messages.") var limit = 50
    @Flag(help: "Print the results as JSON.") var json = false

    func validate() throws {
        guard limit > 0 else { throw ValidationError("--limit must be at least 1") }
        try since?.validate("--since")
        guard text.contains(where: { $0.isLetter || $0.isNumber }) else { throw ValidationError("give at least one word to search for") }
    }

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            let number = try from.map { text throws(ParleyError) in try mailbox.parseNumber(text) }
            let start = since?.date(in: context.viewerZone)
            let search = MessageSearch(text: text, number: number, since: start, agent: agent, limit: limit)
            let results = try search.results(in: mailbox, progress: context.progressReporter("building the index"))
            if json {
                let unmark = { (text: String) in
                    text.replacingOccurrences(of: MessageSearch.matchStart, with: "").replacingOccurrences(of: MessageSearch.matchEnd, with: "")
                }
                let notes = results.notes.map { NoteJSON(number: $0.number.e164, name: $0.name, eventID: $0.eventID, time: $0.time,
                                                         agent: $0.agent, excerpt: unmark($0.excerpt)) }
                context.output.write(JSONOutput.encode(results.hits.map { SearchHitJSON.message($0.unmarked()) } + notes.map(SearchHitJSON.note)))
                return
            }
            let style = context.style
            let mark = { (excerpt: String) -> String in
                var marked = ""
                for part in excerpt.components(separatedBy: MessageSearch.matchStart) {
                    let pieces = part.components(separatedBy: MessageSearch.matchEnd)
                    if pieces.count == 2 {
                        marked += style.usesColor ? style.paint(pieces[0], .bold) : "[\(pieces[0])]"
                        marked += pieces[1]
                    } else {
                        marked += part
                    }
                }
                return marked.replacingOccurrences(of: "\n", with: " ")
            }
            for contact in results.contacts { context.output.line("contact  \(contact.name)  \(contact.number.formatted)") }
            for hit in results.hits {
                let arrow = hit.direction == .inbound ? "←" : "→"
                let who = hit.name.map { "\($0)  \(hit.number.formatted)" } ?? hit.number.formatted
                let when = Timestamp.format(hit.time, in: context.viewerZone).prefix(16).replacingOccurrences(of: "T", with: " ")
                context.output.line("\(when)  \(who)  \(arrow)" + (hit.agent.map { " \($0)" } ?? ""))
                context.output.line("    " + mark(hit.excerpt))
            }
            for note in results.notes {
                let who = note.name.map { "\($0)  \(note.number.formatted)" } ?? note.number.formatted
                let when = Timestamp.format(note.time, in: context.viewerZone).prefix(16).replacingOccurrences(of: "T", with: " ")
                context.output.line("\(when)  \(who)  note by \(note.agent)")
                context.output.line("    " + mark(note.excerpt))
            }
            if results.contacts.isEmpty && results.hits.isEmpty && results.notes.isEmpty {
                context.output.line("No message or contact matches '\(text)'.")
            } else if results.hits.count == limit {
                context.output.line("The newest \(limit) messages are shown: --limit N shows more, --since or --from narrows.")
            }
        }
    }
}

/// One search result in `--json`: a message (as before) or a note, told apart by `kind`.
enum SearchHitJSON: Encodable {
    case message(MessageSearch.Hit)
    case note(NoteJSON)

    private enum Kind: String, CodingKey { case kind }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Kind.self)
        switch self {
        case .message(let hit):
            try hit.encode(to: encoder)
            try container.encode("message", forKey: .kind)
        case .note(let note):
            try note.encode(to: encoder)
            try container.encode("note", forKey: .kind)
        }
    }
}

struct NoteJSON: Encodable {
    let number: String
    let name: String?
    let eventID: String
    let time: Date
    let agent: String
    let excerpt: String
}
