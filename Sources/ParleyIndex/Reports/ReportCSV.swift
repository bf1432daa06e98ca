import Foundation
import ParleyCore

/// `parley report --csv`: one line per slice of the breakdown asked for
/// (`--by`), or one for the whole period; durations in seconds, shares
/// between 0 and 1, quoted as RFC 4180 says, for a spreadsheet.
public enum ReportCSV {
    public static func render(_ report: Report) -> String {
        let measures = ["first_reply", "reply", "customer_wait", "resolution"]
        let figures = ["count", "median_business_s", "p90_business_s", "max_business_s", "median_calendar_s", "p90_calendar_s", "max_calendar_s",
                       "within_target"]
        var header = [report.grouping?.rawValue ?? "period", "messages_in", "messages_out", "conversations_opened", "conversations_closed"]
        header += measures.flatMap { measure in figures.map { "\(measure)_\($0)" } }
        var lines = [header.map(CSVWriter.field).joined(separator: ",")]
        for row in report.grouping == nil ? [report.total] : report.rows {
            var cells = [row.key, "\(row.messagesIn)", "\(row.messagesOut)", "\(row.conversationsOpened)", "\(row.conversationsClosed)"]
            for stats in [row.firstReply, row.reply, row.customerWait, row.resolution] {
                cells.append("\(stats.count)")
                for figures in [stats.business, stats.calendar] {
                    cells += [figures?.median, figures?.p90, figures?.max].map { $0.map { String(format: "%.0f", $0) } ?? "" }
                }
                cells.append(stats.withinTarget.map { String(format: "%.4f", $0) } ?? "")
            }
            lines.append(cells.map(CSVWriter.field).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}
