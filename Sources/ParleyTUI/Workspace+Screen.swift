import Foundation
import ParleyCore
import ParleyIndex
import ParleyRendering

/// Drawing: a title line, the list and the thread side by side (one above
/// the other on a narrow screen), a status line and the keys.
extension Workspace {
    func draw() {
        let rows = terminal.rows, columns = terminal.columns
        terminal.clear()
        let who = mailbox.agent.handle
        terminal.write(" Parley — \(mailbox.config.businessName) · \(who) · \(title)", row: 0, reverse: true)
        let bodyTop = 1, bodyBottom = rows - 3
        let beside = columns >= 110
        let listWidth = beside ? min(54, columns / 2) : columns
        let listBottom = beside ? bodyBottom : bodyTop + (bodyBottom - bodyTop) / 2
        drawList(top: bodyTop, bottom: listBottom, width: listWidth)
        if beside {
            for row in bodyTop...bodyBottom { terminal.write("│", row: row, column: listWidth, dim: true) }
            drawThread(top: bodyTop, bottom: bodyBottom, left: listWidth + 2, width: columns - listWidth - 2)
        } else {
            terminal.write(String(repeating: "─", count: columns), row: listBottom + 1, dim: true)
            drawThread(top: listBottom + 2, bottom: bodyBottom, left: 0, width: columns)
        }
        drawBottom(rows: rows)
        terminal.show()
    }

    private var title: String {
        switch view {
        case .inbox: "inbox"
        case .approvals: "approvals"
        case .search(let text): "search: \(text)"
        }
    }

    private func drawList(top: Int, bottom: Int, width: Int) {
        guard !list.rows.isEmpty else {
            return terminal.write(emptyText, row: top, width: width, dim: true)
        }
        let height = bottom - top + 1
        let first = max(0, min(list.selected - height / 2, list.rows.count - height))
        for (offset, row) in list.rows.dropFirst(first).prefix(height).enumerated() {
            let index = first + offset
            switch row {
            case .heading(let text): terminal.write(text, row: top + offset, width: width, bold: true)
            case .item(let item):
                terminal.write(line(for: item), row: top + offset, width: width, reverse: index == list.selected,
                               tone: tone(for: item))
            }
        }
    }

    private var emptyText: String {
        switch view {
        case .inbox: "Nothing waiting: no open conversations."
        case .approvals: "Nothing waits for approval."
        case .search: "No message matches."
        }
    }

    private func line(for item: WorkspaceList.Item) -> String {
        switch item {
        case .conversation(let entry):
            let summary = entry.summary
            let marks = (summary.state.assignee.map { ["→\($0)"] } ?? []) + summary.state.tags.map { "#\($0)" }
                + summary.state.mentions.map { "@\($0)" } + (summary.consent.underReview ? ["[review]"] : [])
                + (entry.overdue != nil ? ["[overdue]"] : [])
            return " " + TextColumns.fit(DurationText.short(entry.seconds), 8) + " "
                + TextColumns.fit(summary.name ?? summary.number.formatted, 18) + " " + marks.joined(separator: " ")
        case .approval(let entry):
            return " \(entry.to.formatted) by \(entry.agent): \(entry.body)"
        case .hit(let hit):
            return " \(hit.name ?? hit.number.formatted): \(unmarked(hit.excerpt))"
        case .note(let note):
            return " \(note.name ?? note.number.formatted) note by \(note.agent): \(unmarked(note.excerpt))"
        }
    }

    private func unmarked(_ excerpt: String) -> String {
        excerpt.replacingOccurrences(of: MessageSearch.matchStart, with: "").replacingOccurrences(of: MessageSearch.matchEnd, with: "")
    }

    private func tone(for item: WorkspaceList.Item) -> Terminal.Tone {
        guard case .conversation(let entry) = item else { return .normal }
        if entry.overdue != nil || entry.summary.consent.underReview { return .red }
        return entry.waiting == .customer ? .yellow : .normal
    }

    /// The thread's latest lines, bottom-aligned like a chat.
    private func drawThread(top: Int, bottom: Int, left: Int, width: Int) {
        let height = bottom - top + 1
        let wrapped = threadLines.flatMap { wrap($0, width) }
        for (offset, text) in wrapped.suffix(height).enumerated() {
            let arrowTone: Terminal.Tone = text.contains("←") ? .cyan : text.contains("→") ? .green : .normal
            terminal.write(text, row: top + offset, column: left, width: width, dim: text.contains(" · "), tone: arrowTone)
        }
    }

    /// A line cut into lines of `width` at spaces, keeping its indentation; continuation lines are indented.
    private func wrap(_ line: String, _ width: Int) -> [String] {
        guard Terminal.width(of: line) > width, width > 10 else { return [line] }
        let indent = String(line.prefix { $0 == " " })
        let continuation = indent.isEmpty ? "    " : indent
        var lines: [String] = [], current = indent
        for word in line.dropFirst(indent.count).split(separator: " ") {
            let candidate = current.trimmingCharacters(in: .whitespaces).isEmpty ? current + word : current + " " + word
            if Terminal.width(of: candidate) > width, !current.trimmingCharacters(in: .whitespaces).isEmpty {
                lines.append(current)
                current = continuation + word
            } else {
                current = candidate
            }
        }
        return lines + [current]
    }

    private func drawBottom(rows: Int) {
        switch mode {
        case .browse:
            terminal.write(status.text, row: rows - 2, tone: status.tone)
            terminal.write(" " + (isApprovals ? Self.approvalHelp : Self.help), row: rows - 1, reverse: true)
        case .prompt(let prompt, let text):
            terminal.write(status.text, row: rows - 2, tone: status.tone)
            terminal.write("\(prompt.label): \(text)▏", row: rows - 1)
        case .refusal(let verdict, _, _):
            let lines = ["Refused by \(verdict.rule.rawValue): \(verdict.facts)"] + (verdict.wayOut.map { ["Way out: \($0)"] } ?? [])
            for (offset, text) in lines.enumerated() { terminal.write(text, row: rows - 4 + offset, tone: .red) }
            terminal.write(" l queue for the next allowed time  o override with a reason  Esc keep it unsent", row: rows - 1, reverse: true)
        }
    }

    private var isApprovals: Bool { if case .approvals = view { true } else { false } }
}
