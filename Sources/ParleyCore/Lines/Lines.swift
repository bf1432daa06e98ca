import Foundation

/// The business's sender lines: which one a text goes from, and whether a
/// line is paused. A customer has one conversation whatever line they
/// write to; a reply goes from the line they last wrote to (a sticky
/// sender), a first text from the line serving its use case.
public struct Lines: MailboxFeature {
    public let mailbox: Mailbox

    public init(_ mailbox: Mailbox) { self.mailbox = mailbox }

    /// The line a person named by its name or number (`--line`).
    public func named(_ text: String) throws(ParleyError) -> SenderLine {
        let lines = config.senderLines
        if let line = lines.first(where: { $0.name == text }) { return line }
        if let number = try? mailbox.parseNumber(text), let line = config.line(number: number) { return line }
        throw .invalidInput("'\(text)' is not one of this mailbox's lines: use " + lines.map(\.label).joined(separator: ", ")
            + " (parley.yaml, lines)")
    }

    /// The line a text to `number` goes from: `requested` when given; else
    /// the line the customer last wrote to, or last got a text from; else,
    /// for a first text, the line serving `useCase`; else the default line.
    public func choose(for number: PhoneNumber, requested: String?, useCase: String?) throws(ParleyError) -> SenderLine {
        if let requested { return try named(requested) }
        let conversation = try Conversation.load(number, from: store.snapshot())
        return choose(in: conversation, useCase: useCase ?? conversation?.state.useCase)
    }

    func choose(in conversation: Conversation?, useCase: String?) -> SenderLine {
        let messages = conversation?.messages ?? []
        if let inbound = messages.last(where: { $0.direction == .inbound }), let line = config.line(number: inbound.to) { return line }
        if let outbound = messages.last(where: { $0.direction == .outbound }), let line = config.line(number: outbound.from) { return line }
        if let useCase, let line = config.senderLines.first(where: { $0.useCases.contains(useCase) }) { return line }
        return config.defaultLine
    }

    /// A line's pauses and resumptions, oldest first.
    public func events(of line: SenderLine, in given: (any StoreSnapshot)? = nil) throws(ParleyError) -> [LineEvent] {
        let snapshot: any StoreSnapshot
        if let given { snapshot = given } else { snapshot = try store.snapshot() }
        let directory = MailboxLayout.lineEventsDirectory(line.number)
        var events: [LineEvent] = []
        for item in try snapshot.list(directory) ?? [] where item.name.hasSuffix(".yaml") {
            let path = directory + "/" + item.name
            if let data = try snapshot.read(path) { events.append(try LineEvent.parse(data, path: path)) }
        }
        return events.sorted { ($0.time, $0.id) < ($1.time, $1.id) }
    }

    /// The pause in force on `line`, nil when it may send.
    public func pause(of line: SenderLine, in snapshot: (any StoreSnapshot)? = nil) throws(ParleyError) -> LineEvent? {
        try events(of: line, in: snapshot).last.flatMap { $0.kind == .pause ? $0 : nil }
    }

    /// Every paused line with its pause, read from one snapshot (the inbox and the report say them).
    public func pauses() throws(ParleyError) -> [(line: SenderLine, pause: LineEvent)] {
        let snapshot = try store.snapshot()
        var paused: [(line: SenderLine, pause: LineEvent)] = []
        for line in config.senderLines {
            if let pause = try pause(of: line, in: snapshot) { paused.append((line, pause)) }
        }
        return paused
    }

    /// Pauses a line by hand, or—`by` system—because its sends fail; nil when it was paused already.
    @discardableResult
    public func pause(_ line: SenderLine, reason: String, by: String? = nil) throws(ParleyError) -> CommitRecord? {
        try record(.pause, line, reason: reason, by: by ?? agent.handle)
    }

    /// Lets a paused line send again, with why it is safe; nil when it was not paused.
    @discardableResult
    public func resume(_ line: SenderLine, reason: String) throws(ParleyError) -> CommitRecord? {
        try record(.resume, line, reason: reason, by: agent.handle)
    }

    private func record(_ kind: LineEvent.Kind, _ line: SenderLine, reason: String, by: String) throws(ParleyError) -> CommitRecord? {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw .invalidInput("give the reason with --reason TEXT: it is recorded with the line") }
        let now = clock.now()
        return try store.commit { snapshot throws(ParleyError) in
            let events = try events(of: line, in: snapshot)
            let paused = events.last?.kind == .pause
            guard kind == .pause ? !paused : paused else { return nil }
            let event = LineEvent(id: ULID.after(events.last.flatMap { ULID($0.id) }, time: now).string, kind: kind, time: now, line: line.number,
                                  by: by, reason: reason)
            return change([MailboxLayout.lineEventPath(line.number, time: now, id: event.id): event.fileData()], CommitMessage(
                subject: "\(kind == .pause ? "Pause" : "Resume") line \(line.label): \(reason)", action: .line(kind),
                trailers: [(.line, "\(line.name) \(line.number.e164)")]))
        }
    }
}
