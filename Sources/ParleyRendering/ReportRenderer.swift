import Foundation
import ParleyCore
import ParleyIndex

/// `parley report` in a terminal: the period's volume, service times in
/// business time (calendar time beside), the breakdowns, outcomes,
/// delivery, how templates and agents were received, overrides and when
/// customers write.
public struct ReportRenderer {
    public let style: TextStyle

    public init(style: TextStyle) { self.style = style }

    public func render(_ report: Report) -> String {
        var lines: [String] = [style.paint("Report · " + periodText(report.period), .bold)]
        let total = report.total
        lines.append("\(total.messagesIn) messages in, \(total.messagesOut) out · \(total.conversationsOpened) conversations opened, "
            + "\(total.conversationsClosed) closed")
        lines.append("")
        lines.append(style.paint("Service times", .bold) + style.paint("  business time (calendar time); share within target", .dim))
        lines.append(TextColumns.fit("", 15) + statsHeader)
        for (label, stats) in [("first reply", total.firstReply), ("reply", total.reply), ("customer wait", total.customerWait),
                               ("resolution", total.resolution)] {
            lines.append(TextColumns.fit(label, 15) + statsText(stats))
        }
        if let grouping = report.grouping { lines += breakdown("By \(grouping.rawValue)", report.rows) }
        lines += breakdown("By agent", report.byAgent)
        lines += breakdown("By use case", report.byUseCase)
        lines += outcomes(report.outcomes)
        lines += delivery(report.delivery)
        lines += receptions("Templates", report.templates)
        lines += receptions("Agents", report.agents)
        lines += overrides(report.overrides, zone: TimeZone(identifier: report.period.timeZone) ?? .current)
        lines += teamwork(report.teamwork)
        lines += deliverability(report.deliverability)
        lines += automations(report.automations)
        lines += heatMap("Customer messages by hour of week", report.inboundByHourOfWeek)
        return lines.joined(separator: "\n") + "\n"
    }

    private func teamwork(_ teamwork: Report.Teamwork?) -> [String] {
        guard let teamwork, teamwork.approved + teamwork.awaitingApproval + teamwork.snoozes > 0 else { return [] }
        var lines = ["", style.paint("Review and snoozes", .bold)]
        if teamwork.approved + teamwork.awaitingApproval > 0 {
            let waits = [teamwork.approvalWaitMedian.map { "median wait \(DurationText.short(Int($0)))" },
                         teamwork.approvalWaitLongest.map { "longest \(DurationText.short(Int($0)))" }].compactMap { $0 }
            lines.append("  \(teamwork.approved) sent after another agent's approval" + (waits.isEmpty ? "" : " (" + waits.joined(separator: ", ") + ")")
                + "; \(teamwork.awaitingApproval) waiting now")
        }
        if teamwork.snoozes > 0 {
            lines.append("  \(teamwork.snoozes) snooze\(teamwork.snoozes == 1 ? "" : "s"): the customer's wait stops at each (a snoozed conversation "
                + "waits on the customer)")
        }
        return lines
    }

    private func deliverability(_ report: DeliverabilityReport?) -> [String] {
        guard let report, !report.isEmpty else { return [] }
        var lines = ["", style.paint("Deliverability", .bold) + style.paint("  by line and template; filtered and never-again failures by "
            + "the providers' error codes", .dim)]
        for paused in report.paused { lines.append("  " + style.paint("PAUSED ", .red) + paused) }
        func text(_ row: DeliverabilityReport.Row, _ label: String, width: Int = 28) -> String {
            var parts = ["\(row.sent) sent", "\(row.delivered) delivered", "\(row.failed) failed"
                + (row.failedShare.map { " (\(Int(($0 * 100).rounded()))%)" } ?? "")]
            if row.filtered > 0 { parts.append("\(row.filtered) filtered") }
            if row.permanent > 0 { parts.append("\(row.permanent) never again") }
            if row.sender > 0 { parts.append("\(row.sender) sender or campaign") }
            return TextColumns.fit(label, width) + parts.joined(separator: ", ")
        }
        for line in report.lines {
            lines.append("  " + text(line, "line \(line.line)"))
            for template in report.templates where template.line == line.line {
                lines.append("    " + text(template, template.template.map { $0.isEmpty ? "(no template)" : $0 } ?? "?", width: 26))
            }
        }
        if !report.codes.isEmpty {
            lines.append("  errors: " + report.codes.prefix(8).map { "\($0.code) \($0.kind?.rawValue ?? "unclassified") ×\($0.count)" }
                .joined(separator: ", "))
        }
        return lines
    }

    private func automations(_ report: AutomationReport?) -> [String] {
        guard let report, !report.isEmpty else { return [] }
        var lines = ["", style.paint("Automations", .bold) + style.paint("  texts sent, customers held out, answers read", .dim)]
        for row in report.automations {
            var parts = ["\(row.sent) sent"]
            if row.heldOut > 0 { parts.append("\(row.heldOut) held out") }
            let answers = row.answers.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\($0.key) ×\($0.value)" }
            if !answers.isEmpty { parts.append("answers: " + answers.joined(separator: ", ")) }
            if row.toPerson > 0 { parts.append("\(row.toPerson) left to a person") }
            lines.append("  " + TextColumns.fit(row.automation, 28) + parts.joined(separator: ", "))
        }
        if !report.ratings.isEmpty {
            lines.append("  satisfaction (1–5), by agent and use case:")
            for rating in report.ratings {
                lines.append("    " + TextColumns.fit(rating.agent + (rating.useCase.map { " · \($0)" } ?? ""), 28)
                    + String(format: "%.1f", rating.mean ?? 0) + " from \(rating.answers) answer\(rating.answers == 1 ? "" : "s")"
                    + "  (" + rating.counts.enumerated().map { "\($0.offset + 1): \($0.element)" }.joined(separator: ", ") + ")")
            }
        }
        return lines
    }

    private func periodText(_ period: Report.Period) -> String {
        let zone = TimeZone(identifier: period.timeZone) ?? .current
        func day(_ date: Date?) -> String { date.map { String(Timestamp.format($0, in: zone).prefix(16)).replacingOccurrences(of: "T",
            with: " ") } ?? "…" }
        return "\(day(period.since)) to \(day(period.until)) · \(period.timeZone)" + (period.agent.map { " · agent \($0)" } ?? "")
    }

    private let statsHeader = [("count", 7), ("median", 18), ("p90", 18), ("max", 18), ("in target", 9)]
        .map { TextColumns.fit($0.0, $0.1) }.joined()

    private func statsText(_ stats: DurationStats) -> String {
        func pair(_ business: Double?, _ calendar: Double?) -> String {
            guard let business, let calendar else { return "–" }
            return DurationText.short(Int(business)) + " (" + DurationText.short(Int(calendar)) + ")"
        }
        return TextColumns.fit("\(stats.count)", 7) + TextColumns.fit(pair(stats.business?.median, stats.calendar?.median), 18)
            + TextColumns.fit(pair(stats.business?.p90, stats.calendar?.p90), 18) + TextColumns.fit(pair(stats.business?.max,
                stats.calendar?.max), 18)
            + (stats.withinTarget.map(Self.percent) ?? "–")
    }

    /// A share as a whole percentage, as every form of the report shows it.
    public static func percent(_ share: Double) -> String { "\(Int((share * 100).rounded()))%" }

    private func breakdown(_ title: String, _ rows: [Report.Row]) -> [String] {
        guard !rows.isEmpty else { return [] }
        var lines = ["", style.paint(title, .bold) + style.paint("  in/out, opened/closed; first reply and reply: median (in target)", .dim)]
        for row in rows {
            func brief(_ stats: DurationStats) -> String {
                guard let median = stats.business?.median else { return "–" }
                return DurationText.short(Int(median)) + (stats.withinTarget.map { " (\(Self.percent($0)))" } ?? "")
            }
            lines.append(TextColumns.fit(row.key, 22) + TextColumns.fit("\(row.messagesIn)/\(row.messagesOut)", 11)
                + TextColumns.fit("\(row.conversationsOpened)/\(row.conversationsClosed)", 9)
                + TextColumns.fit("first " + brief(row.firstReply), 20) + "reply " + brief(row.reply))
        }
        return lines
    }

    private func outcomes(_ outcomes: [Report.OutcomeCount]) -> [String] {
        guard !outcomes.isEmpty else { return [] }
        var lines = ["", style.paint("Outcomes", .bold) + style.paint("  of the conversations closed", .dim)]
        let useCases = outcomes.map(\.useCase).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        for useCase in useCases {
            let parts = outcomes.filter { $0.useCase == useCase }.map { "\($0.outcome) \($0.count) (\(Self.percent($0.rate)))" }
            lines.append(TextColumns.fit(useCase, 22) + parts.joined(separator: " · "))
        }
        return lines
    }

    private func delivery(_ delivery: Report.Delivery) -> [String] {
        guard delivery.sent > 0 else { return [] }
        var lines = ["", style.paint("Delivery", .bold) + style.paint("  of the \(delivery.sent) messages sent", .dim)]
        lines.append(delivery.byStatus.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\($0.key) \($0.value)" }.joined(separator: " · "))
        if !delivery.topErrors.isEmpty {
            lines.append("errors: " + delivery.topErrors.map { "\($0.code) ×\($0.count)" }.joined(separator: " · "))
        }
        if !delivery.cost.isEmpty { lines.append("cost: " + delivery.cost.map { String(format: "%.4f %@", $0.amount,
            $0.unit) }.joined(separator: " · ")) }
        return lines
    }

    private func receptions(_ title: String, _ rows: [Report.Reception]) -> [String] {
        guard !rows.isEmpty else { return [] }
        var lines = ["", style.paint(title, .bold) + style.paint("  sent · replied · opted out · held for review", .dim)]
        for row in rows {
            lines.append(TextColumns.fit(row.key, 24) + TextColumns.fit("\(row.sent)", 7) + TextColumns.fit(Self.percent(row.replyRate), 8)
                + TextColumns.fit("\(row.optOuts) (\(Self.percent(row.optOutRate)))", 12) + "\(row.reviews) (\(Self.percent(row.reviewRate)))")
        }
        return lines
    }

    private func overrides(_ uses: [Report.OverrideUse], zone: TimeZone) -> [String] {
        guard !uses.isEmpty else { return [] }
        var lines = ["", style.paint("Overrides", .bold) + style.paint("  rules a person set aside, and why", .dim)]
        for use in uses {
            let when = String(Timestamp.format(use.time, in: zone).prefix(16)).replacingOccurrences(of: "T", with: " ")
            lines.append("\(when)  \(use.number)  \(use.agent)  \(use.rule): \(use.reason)")
        }
        return lines
    }

    /// Seven rows of 24 hours, darker for more.
    private func heatMap(_ title: String, _ grid: [[Int]]) -> [String] {
        let most = grid.joined().max() ?? 0
        guard most > 0 else { return [] }
        let shades = Array(" ·░▒▓█")
        var lines = ["", style.paint(title, .bold) + style.paint("  00–23 h, darkest: \(most)", .dim)]
        for (day, name) in ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].enumerated() {
            let cells = grid[day].map { count in count == 0 ? shades[0] : shades[1 + min(4, count * 4 / most)] }
            lines.append(name + " " + String(cells))
        }
        return lines
    }
}
