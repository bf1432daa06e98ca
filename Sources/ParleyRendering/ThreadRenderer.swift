import Foundation
import ParleyCore

/// Renders a conversation as a readable chat: a header with the contact
/// and triage state, day separators, each message's time in the viewer's
/// zone (and the contact's when it differs), direction, agent and delivery
/// status, and triage events in between.
public struct ThreadRenderer {
    public let viewerZone: TimeZone
    public let style: TextStyle
    public let businessName: String
    /// Line names by number, shown on each message (empty: a mailbox with one line).
    public let lineNames: [PhoneNumber: String]

    public init(viewerZone: TimeZone, style: TextStyle, businessName: String, lineNames: [PhoneNumber: String] = [:]) {
        self.viewerZone = viewerZone
        self.style = style
        self.businessName = businessName
        self.lineNames = lineNames
    }

    public func render(_ conversation: Conversation) -> String {
        let dates = DisplayDates()
        func format(_ date: Date, _ pattern: String, _ zone: TimeZone) -> String { dates.format(date, pattern, zone) }
        let contactZone = conversation.contact?.timeZone.flatMap(TimeZone.init(identifier:))
        let showsTheirs = contactZone.map { $0.secondsFromGMT() != viewerZone.secondsFromGMT() || $0.identifier != viewerZone.identifier } ?? false
        let name = conversation.contact?.name ?? conversation.number.formatted
        var lines: [String] = []
        lines.append(style.paint(name, .bold) + "  " + conversation.number.formatted)
        lines.append(style.paint(header(conversation, contactZone: contactZone), .dim))

        enum Item { case message(Message), event(ConversationEvent) }
        let items: [(Date, String, Item)] =
            conversation.messages.map { ($0.time, $0.id, .message($0)) } + conversation.events.map { ($0.time, $0.id, .event($0)) }
        var currentDay = ""
        for (time, _, item) in items.sorted(by: { ($0.0, $0.1) < ($1.0, $1.1) }) {
            let day = format(time, "EEEE d MMMM yyyy", viewerZone)
            if day != currentDay {
                currentDay = day
                lines.append("")
                lines.append(style.paint("─── \(day) ───", .dim))
            }
            var clock = format(time, "HH:mm", viewerZone)
            if showsTheirs, let contactZone { clock += style.paint(" (\(format(time, "HH:mm", contactZone)) theirs)", .dim) }
            switch item {
            case .message(let message):
                lines.append(clock + "  " + describe(message, in: conversation, name: name))
                let pictureOnly = message.body.isEmpty && !message.media.isEmpty
                for line in message.body.split(separator: "\n", omittingEmptySubsequences: false) where !pictureOnly {
                    lines.append("    " + line)
                }
                for item in message.media { lines.append("    " + style.paint(Self.describe(item), .dim)) }
            case .event(let event):
                lines.append(style.paint(clock + "  · " + describe(event), .dim))
            }
        }
        if conversation.messages.isEmpty && conversation.events.isEmpty {
            lines.append("")
            lines.append(style.paint("No messages yet.", .dim))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `📎 photo.jpg (image/jpeg, 482 KB)`; a skipped item says why; `parley media open` opens a stored one.
    public static func describe(_ media: MessageMedia) -> String {
        let size = ByteCountFormatter.string(fromByteCount: Int64(media.size), countStyle: .file)
        return "📎 \(media.name) (\(media.contentType), \(size))" + (media.skipped.map { " not stored: \($0)" } ?? "")
    }

    private func header(_ conversation: Conversation, contactZone: TimeZone?) -> String {
        let state = conversation.state
        var parts: [String] = []
        if let contactZone { parts.append("their zone \(contactZone.identifier)") }
        parts.append("your zone \(viewerZone.identifier)")
        parts.append(state.assignee.map { "assigned to \($0)" } ?? "unassigned")
        if !state.tags.isEmpty { parts.append("tags: " + state.tags.joined(separator: ", ")) }
        if let useCase = state.useCase { parts.append(useCase) }
        parts.append(state.isOpen ? "open" : "closed" + (state.outcome.map { ": \($0)" } ?? ""))
        parts.append("\(conversation.messages.count) message" + (conversation.messages.count == 1 ? "" : "s"))
        return parts.joined(separator: " · ")
    }

    private func describe(_ message: Message, in conversation: Conversation, name: String) -> String {
        switch message.direction {
        case .inbound:
            return style.paint("← \(name)", .cyan) + (lineNames[message.to].map { style.paint(" · to line \($0)", .dim) } ?? "")
        case .outbound:
            let status = conversation.status(of: message)
            let sender = AutomatedMessage.system(of: message).map { "\($0) (automated)" } ?? message.agent ?? businessName
            var text = style.paint("→ \(sender)", .green) + (lineNames[message.from].map { style.paint(" · line \($0)", .dim) } ?? "") + " · "
                + paint(status)
            if let record = conversation.latestRecord(of: message), let code = record.errorCode {
                text += style.paint(" (\(code)\(record.errorMessage.map { ": \($0)" } ?? ""))", .red)
            }
            if message.segments > 1 { text += style.paint(" · \(message.segments) segments", .dim) }
            if let template = message.template { text += style.paint(" · template \(template)", .dim) }
            return text
        }
    }

    private func paint(_ status: DeliveryStatus) -> String {
        switch status {
        case .delivered: return style.paint(status.rawValue, .green)
        case .failed, .undelivered: return style.paint(status.rawValue, .red)
        case .pending: return style.paint(status.rawValue, .yellow)
        default: return status.rawValue
        }
    }

    private func describe(_ event: ConversationEvent) -> String {
        let note = event.note.map { " — \($0)" } ?? ""
        switch event.kind {
        case .assign where event.assignee == event.by: return "\(event.by) took it\(note)"
        case .assign: return "\(event.by) assigned it to \(event.assignee ?? "?")\(note)"
        case .unassign: return "\(event.by) unassigned it\(note)"
        case .tag: return "\(event.by) tagged it \(event.tags.joined(separator: ", "))\(note)"
        case .untag: return "\(event.by) removed tag \(event.tags.joined(separator: ", "))\(note)"
        case .close: return "\(event.by) closed it" + (event.outcome.map { ": \($0)" } ?? "") + note
        case .reopen: return "\(event.by) reopened it\(note)"
        case .useCase: return "\(event.by) set the use case to \(event.useCase ?? "?")\(note)"
        case .note: return "note by \(event.by): \(event.note ?? "")"
        case .snooze:
            return "\(event.by) snoozed it " + (event.until.map { "until " + Timestamp.format($0, in: viewerZone) } ?? "until the customer writes") + note
        case .wake: return "\(event.by) woke it\(note)"
        case .unreachable: return "no more texts to this number: \(event.note ?? "a carrier said it cannot be reached")"
        case .reachable: return "\(event.by) cleared the number to be texted again\(note)"
        }
    }
}

/// Formats dates for display, keeping one DateFormatter per pattern and
/// zone (creating one costs more than formatting a whole thread).
final class DisplayDates {
    private var formatters: [String: DateFormatter] = [:]

    func format(_ date: Date, _ pattern: String, _ zone: TimeZone) -> String {
        let key = pattern + "|" + zone.identifier
        if let formatter = formatters[key] { return formatter.string(from: date) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = pattern
        formatters[key] = formatter
        return formatter.string(from: date)
    }
}
