import Foundation
import ParleyCore
import Plot
import ParleyIndex

/// `parley audit --html FILE`: the audit as one self-contained page to hand
/// a carrier or a regulator — what was checked, every finding with its
/// commit and file, every override with who and why.
public enum AuditPage {
    public static func render(_ report: AuditReport, business: String, generated: Date) -> String {
        let counts = report.counts
        let checked = [("Commits walked", counts.commits), ("Sent by people", counts.outbound), ("Automatic replies", counts.automaticReplies),
                       ("From other systems (not judged)", counts.automated),
                       ("Received", counts.inbound), ("Opt-outs", counts.optOuts), ("Delivery receipts", counts.receipts)]
        let html = HTML(
            .lang(.english),
            PageHead.node(title: "\(business) — messaging audit"),
            .body(
                .header(.h1(.text("\(business) — messaging audit")), .p(.class("period"), .text(period(report)))),
                .main(
                    .h2("What was checked"),
                    .table(.tbody(.forEach(checked) { label, value in .tr(.th(.text(label)), .td(.text(String(value)))) })),
                    .p(.text("Rules version \(report.rulesVersion). "
                        + (report.isClean ? "No findings." : "\(report.findings.count) finding(s)."))),
                    .h2("Findings"),
                    .if(report.findings.isEmpty, .p("None."), else: .table(
                        .thead(.tr(.th("Rule"), .th("Time"), .th("Commit"), .th("File"), .th("What"))),
                        .tbody(.forEach(report.findings) { finding in
                            .tr(.td(.text(finding.rule.rawValue)), .td(.text(finding.time.map(report.local) ?? "")),
                                .td(.text(finding.commit.map { String($0.prefix(10)) } ?? "")), .td(.text(finding.path)),
                                .td(.text(finding.detail)))
                        }))),
                    .h2("Overrides"),
                    .if(report.overrides.isEmpty, .p("None."), else: .table(
                        .thead(.tr(.th("Time"), .th("Number"), .th("Rule"), .th("By"), .th("Why"), .th("Commit"))),
                        .tbody(.forEach(report.overrides) { item in
                            .tr(.td(.text(report.local(item.time))), .td(.text(item.number)), .td(.text(item.rule)),
                                .td(.text(item.agent ?? "")), .td(.text(item.reason)), .td(.text(item.commit.map { String($0.prefix(10)) } ?? "")))
                        })))),
                .footer(.p(.text("Made by Parley from the mailbox's Git history on \(report.local(generated)). Every clone of the "
                    + "mailbox gives the same result.")))))
        return html.render(indentedBy: .spaces(1))
    }

    private static func period(_ report: AuditReport) -> String {
        "From \(report.since.map(report.local) ?? "the first commit") to \(report.until.map(report.local) ?? "now") (\(report.timeZone))"
    }
}
