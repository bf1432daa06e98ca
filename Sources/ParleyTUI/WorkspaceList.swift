import Foundation
import ParleyCore
import ParleyIndex
import ParleyRendering

/// The left pane's rows: section headings and the items a key acts on
/// (a conversation of the inbox, a text awaiting approval, a search hit).
struct WorkspaceList {
    enum Item {
        case conversation(InboxEntry)
        case approval(OutboxEntry)
        case hit(MessageSearch.Hit)
        case note(MessageSearch.NoteHit)

        var number: PhoneNumber {
            switch self {
            case .conversation(let entry): entry.summary.number
            case .approval(let entry): entry.to
            case .hit(let hit): hit.number
            case .note(let note): note.number
            }
        }
    }

    enum Row {
        case heading(String)
        case item(Item)
    }

    var rows: [Row] = []
    /// The index of the selected row; always an item's row when there is one.
    var selected = 0

    var selection: Item? {
        guard rows.indices.contains(selected), case .item(let item) = rows[selected] else { return nil }
        return item
    }

    /// The inbox in the sections of `parley inbox`: customers waiting for us first, then those we wait for.
    static func inbox(_ inbox: Inbox) -> [Row] {
        let customer = inbox.entries.filter { $0.waiting == .customer }, us = inbox.entries.filter { $0.waiting == .us }
        var rows: [Row] = []
        if !customer.isEmpty { rows += [.heading("CUSTOMER WAITING FOR US (\(customer.count))")] + customer.map { .item(.conversation($0)) } }
        if !us.isEmpty { rows += [.heading("WE WAIT FOR THE CUSTOMER (\(us.count))")] + us.map { .item(.conversation($0)) } }
        return rows
    }

    static func approvals(_ entries: [OutboxEntry]) -> [Row] {
        [.heading("AWAITING APPROVAL (\(entries.count))")] + entries.map { .item(.approval($0)) }
    }

    static func hits(_ results: MessageSearch.Results, for text: String) -> [Row] {
        [.heading("SEARCH \"\(text)\" (\(results.hits.count + results.notes.count))")] + results.hits.map { .item(.hit($0)) }
            + results.notes.map { .item(.note($0)) }
    }

    /// Keeps the same conversation selected when the rows change, else the nearest item.
    mutating func replace(with newRows: [Row]) {
        let number = selection?.number
        rows = newRows
        if let number, let same = rows.firstIndex(where: { if case .item(let item) = $0 { item.number == number } else { false } }) {
            selected = same
        } else {
            selected = min(selected, max(0, rows.count - 1))
            if selection == nil { move(by: 1) }
        }
    }

    /// Moves the selection to the next item up or down, over headings.
    mutating func move(by step: Int) {
        var index = selected + step
        while rows.indices.contains(index) {
            if case .item = rows[index] {
                selected = index
                return
            }
            index += step
        }
        if selection == nil, let first = rows.firstIndex(where: { if case .item = $0 { true } else { false } }) { selected = first }
    }
}
