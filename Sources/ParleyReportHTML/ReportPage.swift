import Foundation
import ParleyCore
import Plot
import ParleyIndex

/// `parley report --html FILE`: the report as one self-contained page —
/// inline CSS and SVG, no script, nothing fetched (a content security
/// policy forbids it) — readable on screen and on paper. Every chart has a
/// title, labelled axes and its figures in a table under it.
public enum ReportPage {
    public static func render(_ report: Report, evaluation: OutcomeEvaluation?, business: String, generated: Date) -> String {
        let zone = TimeZone(identifier: report.period.timeZone) ?? TimeZone(identifier: "UTC")!
        let html = HTML(
            .lang(.english),
            PageHead.node(title: "\(business) — messaging report"),
            .body(
                .header(
                    .h1(.text("\(business) — how we answered")),
                    .p(.class("period"), .text(periodText(report.period, zone: zone)))),
                .main(.group(ReportSections(report: report, evaluation: evaluation, zone: zone).all)),
                .footer(.p(.text("Made by Parley from the mailbox's history on \(stamp(generated, zone)) (\(zone.identifier)). Every clone of "
                    + "the mailbox gives the same figures. Business time counts only opening hours; the measures are defined in the "
                    + "mailbox's docs/REPORTS.md.")))))
        return html.render(indentedBy: .spaces(1))
    }

    static func periodText(_ period: Report.Period, zone: TimeZone) -> String {
        let from = period.since.map { stamp($0, zone) } ?? "the first message"
        let to = period.until.map { stamp($0, zone) } ?? "the last"
        return "From \(from) to \(to)" + (period.agent.map { " · agent \($0)" } ?? "")
    }

    static func stamp(_ date: Date, _ zone: TimeZone) -> String {
        String(Timestamp.format(date, in: zone).prefix(16)).replacingOccurrences(of: "T", with: " ")
    }
}
