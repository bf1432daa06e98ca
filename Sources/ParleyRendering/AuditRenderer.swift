import Foundation
import ParleyCore
import ParleyIndex

/// `parley audit` in a terminal: a summary of what was checked, the
/// findings grouped by rule (commit, file, what), then the overrides.
public struct AuditRenderer {
    public let style: TextStyle

    public init(style: TextStyle) { self.style = style }

    public func render(_ report: AuditReport) -> String {
        let counts = report.counts
        var lines: [String] = [style.paint("Audit · " + period(report), .bold)]
        lines.append("Checked \(counts.commits) commits: \(counts.outbound) messages sent by people, \(counts.automaticReplies) automatic "
            + "replies, \(counts.automated) from other systems (not judged),"
            + " \(counts.inbound) received, \(counts.optOuts) opt-outs, \(counts.receipts) receipts; rules \(report.rulesVersion)")
        lines.append(report.isClean ? style.paint("No findings.", .green)
            : style.paint("\(report.findings.count) finding\(report.findings.count == 1 ? "" : "s")", .red)
                + ": " + report.findingsByRule.filter { $0.1 > 0 }.map { "\($0.1) \($0.0.rawValue)" }.joined(separator: ", "))
        for rule in AuditFinding.Rule.allCases {
            let found = report.findings.filter { $0.rule == rule }
            guard !found.isEmpty else { continue }
            lines.append("")
            lines.append(style.paint(rule.rawValue, .bold))
            for finding in found {
                let commit = finding.commit.map { String($0.prefix(10)) } ?? "no commit"
                lines.append("  \(finding.time.map(report.local) ?? "")  \(commit)  \(finding.path)")
                lines.append("      " + finding.detail)
            }
        }
        if !report.overrides.isEmpty {
            lines.append("")
            lines.append(style.paint("Overrides", .bold) + style.paint("  rules a person lifted for one message, with why", .dim))
            for item in report.overrides {
                lines.append("  \(report.local(item.time))  \(item.number)  \(item.rule) by \(item.agent ?? "unknown"): \(item.reason)"
                    + (item.commit.map { "  (\($0.prefix(10)))" } ?? ""))
            }
        }
        let other = report.rulesRecorded.filter { $0.key != report.rulesVersion }
        if !other.isEmpty {
            lines.append("")
            lines.append("Sends recorded under other rules versions (replayed under \(report.rulesVersion)): "
                + other.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", "))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func period(_ report: AuditReport) -> String {
        let from = report.since.map(report.local) ?? "the beginning"
        let to = report.until.map(report.local) ?? "now"
        return "\(from) to \(to) · \(report.timeZone)"
    }
}
