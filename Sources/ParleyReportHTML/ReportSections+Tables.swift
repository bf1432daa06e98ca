import Foundation
import ParleyCore
import Plot
import ParleyIndex

/// The evaluation chart and the sections that are tables only.
extension ReportSections {
    var evaluationSection: Content {
        guard let evaluation, evaluation.comparison.contains(where: { $0.appointments > 0 }) else {
            return .section(.h2("Does texting help?"),
                            .p(.text("No outcomes imported yet: 'parley outcome import FILE.csv' brings in an appointment book's shows and "
                                + "no-shows, and this section compares them with the conversations before them.")))
        }
        let groups = evaluation.comparison + evaluation.bands
        return .section(.h2("Does texting help?"), Self.figure(
            "evaluation", "\(evaluation.outcome) rate of \(evaluation.useCase), texted or not, and by how fast we answered (95% Wilson intervals)",
            chart: Charts.intervals(label: "Outcome rates with their intervals", rows: groups.map { group in
                (name: "\(group.label) (\(group.appointments))", rate: group.rate, low: group.interval?.low, high: group.interval?.high)
            }, xTitle: "\(evaluation.outcome) rate"),
            table: Self.groupTable(groups, outcome: evaluation.outcome)), .p(.class("verdict"), .text(evaluation.verdict)),
            .forEach(evaluation.randomized) { randomized in
                .group(.h3(.text("Randomized holdout of \(randomized.automation)")),
                       Self.groupTable([randomized.texted, randomized.heldOut], outcome: evaluation.outcome),
                       .p(.class("verdict"), .text(randomized.verdict)))
            })
    }

    /// Groups of appointments with their outcome's rate and interval.
    private static func groupTable(_ groups: [OutcomeEvaluation.Group], outcome: String) -> Content {
        table(["appointments", "count", outcome, "rate", "95% interval"], groups.map { group in
            [group.label, "\(group.appointments)", "\(group.withOutcome)", percent(group.rate),
             group.interval.map { "\(percent($0.low))–\(percent($0.high))" } ?? "–"]
        })
    }

    var reception: Content {
        func rows(_ receptions: [Report.Reception]) -> [[String]] {
            receptions.map { [$0.key, "\($0.sent)", Self.percent($0.replyRate), "\($0.optOuts)", Self.percent($0.optOutRate), "\($0.reviews)",
                              Self.percent($0.reviewRate)] }
        }
        let header = ["sent", "replied", "opt-outs", "opt-out rate", "held for review", "review rate"]
        return .section(.h2("How messages were received"),
                        .p(.text("Replied: the customer wrote back before our next message. Opt-outs and review holds count against the last "
                            + "message we sent before them.")),
                        Self.table(["template"] + header, rows(report.templates)), Self.table(["agent"] + header, rows(report.agents)))
    }

    var delivery: Content {
        let delivery = report.delivery
        let statuses = delivery.byStatus.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
        return .section(.h2("Delivery"),
                        Self.table(["status", "messages", "share"], statuses.map { status in
                            [status.key, "\(status.value)", Self.percent(delivery.sent == 0 ? nil : Double(status.value) / Double(delivery.sent))]
                        }),
                        .if(!delivery.topErrors.isEmpty, Self.table(["error code", "messages"], delivery.topErrors.map { [$0.code, "\($0.count)"] })),
                        .p(.text("Cost from the gateways' receipts: " + (delivery.cost.isEmpty ? "none reported"
                            : delivery.cost.map { String(format: "%.4f %@", $0.amount, $0.unit) }.joined(separator: ", ")))))
    }

    var deliverability: Content {
        guard let report = report.deliverability, !report.isEmpty else { return .empty }
        let rows = report.lines.flatMap { line in
            [line] + report.templates.filter { $0.line == line.line }
        }.map { row in
            [row.line, row.template.map { $0.isEmpty ? "(no template)" : $0 } ?? "all", "\(row.sent)", "\(row.delivered)", "\(row.failed)",
             Self.percent(row.failedShare), "\(row.filtered)", "\(row.permanent)", "\(row.sender)"]
        }
        return .section(.h2("Deliverability by line and template"),
                        .forEach(report.paused) { .p(.class("verdict"), .text("Paused: " + $0)) },
                        Self.table(["line", "template", "sent", "delivered", "failed", "failed share", "filtered", "never again", "sender or campaign"],
                                   rows),
                        .if(!report.codes.isEmpty, Self.table(["provider", "error code", "class", "messages"], report.codes.map {
                            [$0.provider, $0.code, $0.kind?.rawValue ?? "unclassified", "\($0.count)"]
                        })))
    }

    var automations: Content {
        guard let report = report.automations, !report.isEmpty else { return .empty }
        return .section(.h2("Automations"),
                        Self.table(["automation", "sent", "held out", "answers read", "left to a person"], report.automations.map { row in
                            [row.automation, "\(row.sent)", "\(row.heldOut)",
                             row.answers.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", "), "\(row.toPerson)"]
                        }),
                        .if(!report.ratings.isEmpty, Self.table(["agent", "use case", "answers", "mean (1–5)", "1", "2", "3", "4", "5"],
                                                                 report.ratings.map { rating in
                            [rating.agent, rating.useCase ?? "–", "\(rating.answers)", rating.mean.map { String(format: "%.1f", $0) } ?? "–"]
                                + rating.counts.map(String.init)
                        })))
    }

    var overrides: Content {
        .section(.h2("Overrides"),
                 report.overrides.isEmpty ? .p(.text("No compliance rule was overridden."))
                    : Self.table(["when", "customer", "agent", "rule", "reason"], report.overrides.map {
                        [ReportPage.stamp($0.time, zone), $0.number, $0.agent, $0.rule, $0.reason]
                    }))
    }
}
