import Foundation
import ParleyCore
/// Renders the inbox: customers waiting for an answer first, longest wait
/// first, then conversations waiting on the customer.
public struct InboxRenderer {
    public let style: TextStyle
    /// The zone a snooze's end is shown in.
    public let viewerZone: TimeZone

    /// Line names by number, shown beside each conversation (empty: a mailbox with one line).
    public let lineNames: [PhoneNumber: String]
    /// Paused lines, each with why: said above the conversations.
    public let pausedLines: [String]

    public init(style: TextStyle, viewerZone: TimeZone = .current, lineNames: [PhoneNumber: String] = [:], pausedLines: [String] = []) {
        self.style = style
        self.viewerZone = viewerZone
        self.lineNames = lineNames
        self.pausedLines = pausedLines
    }

    public func render(_ inbox: Inbox) -> String {
        var text = opening(inbox.outline)
        for (position, entry) in inbox.entries.enumerated() { text += lines(for: entry, at: position, of: inbox.outline) }
        return text
    }

    /// What comes before the first entry: paused lines, or that nothing waits.
    public func opening(_ outline: InboxOutline) -> String {
        var lines: [String] = pausedLines.map { style.paint("LINE PAUSED: ", .red) + $0 }
        if !lines.isEmpty { lines.append("") }
        if outline.listed == 0 { lines.append("Nothing waiting: no open conversations match.") }
        return lines.map { $0 + "\n" }.joined()
    }

    /// One entry's two lines, headed by its group's heading when it is the
    /// group's first: the inbox streams, so an entry is rendered alone.
    public func lines(for entry: InboxEntry, at position: Int, of outline: InboxOutline) -> String {
        var lines: [String] = []
        if position == 0 && outline.customersListed > 0 {
            lines.append(style.paint("CUSTOMER WAITING FOR US (\(outline.customersListed))", .bold))
        }
        if position == outline.customersListed {
            if position > 0 || !pausedLines.isEmpty { lines.append("") }
            lines.append(style.paint("WE WAIT FOR THE CUSTOMER (\(outline.othersListed))", .bold))
        }
        return (lines + render(entry, now: outline.now)).map { $0 + "\n" }.joined()
    }

    private func render(_ entry: InboxEntry, now: Date) -> [String] {
        let summary = entry.summary
        let wait = TextColumns.fit(DurationText.short(entry.seconds), 8)
        let waitColored = entry.waiting == .customer ? style.paint(wait, entry.seconds >= 3600 ? .red : .yellow) : style.paint(wait, .dim)
        let assignee = summary.state.assignee ?? "unassigned"
        let tags = (summary.state.tags.map { "#\($0)" } + summary.state.mentions.map { "@\($0)" }).joined(separator: " ")
        var closed = summary.state.isOpen ? "" : style.paint(" [closed]", .dim)
        if summary.state.isSnoozed(at: now), let snooze = summary.state.snooze {
            closed += style.paint(" [snoozed " + (snooze.until.map { "until " + Timestamp.format($0, in: viewerZone) } ?? "until they write") + "]",
                                  .dim)
        }
        if summary.consent.underReview { closed += style.paint(" [held for review]", .red) }
        if summary.consent.status == .optedOut { closed += style.paint(" [opted out]", .red) }
        if let overdue = entry.overdue {
            closed += style.paint(" [overdue: \(DurationText.short(Int(overdue.waited))) of business time, target "
                + "\(DurationText.short(Int(overdue.target)))]", .red)
        }
        var first = "  " + waitColored + " " + style.paint(TextColumns.fit(summary.name ?? "", 18), .bold) + " "
            + TextColumns.fit(summary.number.formatted, 16) + " " + TextColumns.fit(assignee, 12) + tags + closed
        while first.hasSuffix(" ") { first.removeLast() }
        var second = "           "
        if let last = summary.lastMessage {
            let arrow = last.direction == .inbound ? style.paint("←", .cyan) : style.paint("→", .green)
            second += arrow + " " + last.preview
            if last.direction == .outbound { second += style.paint(" (\(last.status.rawValue))", .dim) }
            if let name = last.line.flatMap({ lineNames[$0] }) { second += style.paint(" via \(name)", .dim) }
        }
        return [first, second]
    }
}
