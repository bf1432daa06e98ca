import Foundation
import ParleyCore

/// Renders history as "when, who, what, commit" lines.
public struct LogRenderer {
    public let viewerZone: TimeZone
    public let style: TextStyle

    public init(viewerZone: TimeZone, style: TextStyle) {
        self.viewerZone = viewerZone
        self.style = style
    }

    public func render(_ entries: [HistoryEntry]) -> String {
        guard !entries.isEmpty else { return "No history yet.\n" }
        let dates = DisplayDates()
        return entries.map { entry in
            style.paint(dates.format(entry.time, "yyyy-MM-dd HH:mm", viewerZone), .dim) + "  "
                + style.paint(TextColumns.fit(entry.authorName, 16), .cyan) + "  " + entry.summary + "  "
                + style.paint(String(entry.id.prefix(8)), .yellow)
        }.joined(separator: "\n") + "\n"
    }
}
