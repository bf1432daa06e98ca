import Foundation
import ParleyCore
import Plot
import ParleyIndex
import ParleyRendering

/// The page's sections, each a heading, a chart and the chart's table.
struct ReportSections {
    typealias Content = Node<HTML.BodyContext>
    let report: Report
    let evaluation: OutcomeEvaluation?
    let zone: TimeZone

    var all: [Content] {
        [summary, replyTimes, volume, outcomes, workload, hourOfWeek, evaluationSection, reception, delivery, deliverability, automations, overrides]
    }

    /// A titled chart with its table: the unit the rendering test counts.
    static func figure(_ id: String, _ title: String, chart: Content, table: Content) -> Content {
        .element(named: "figure", nodes: [
            .attribute(named: "id", value: id), .attribute(named: "class", value: "chart-figure"),
            .element(named: "figcaption", nodes: [.text(title)]), chart, table,
        ])
    }

    static func table(_ header: [String], _ rows: [[String]], grid: Bool = false) -> Content {
        .table(.if(grid, .class("grid")),
               .thead(.tr(.group(header.map { .th(.text($0)) }))),
               .tbody(.group(rows.map { row in .tr(.group(row.map { .td(.text($0)) })) })))
    }

    static func duration(_ seconds: Double?) -> String { seconds.map { DurationText.short(Int($0)) } ?? "–" }
    static func percent(_ share: Double?) -> String { share.map(Charts.percent) ?? "–" }

    private var summary: Content {
        let total = report.total
        let facts = [("messages in", "\(total.messagesIn)"), ("messages out", "\(total.messagesOut)"),
                     ("conversations opened", "\(total.conversationsOpened)"), ("closed", "\(total.conversationsClosed)"),
                     ("first replies in target", Self.percent(total.firstReply.withinTarget)),
                     ("median first reply", Self.duration(total.firstReply.business?.median))]
        let measures = [("First reply", total.firstReply), ("Reply", total.reply), ("Customer wait", total.customerWait),
                        ("Resolution", total.resolution)]
        return .section(
            .h2("Summary"),
            .ul(.class("summary"), .group(facts.map { .li(.b(.text($0.1)), .text($0.0)) })),
            Self.table(["measure (business time; calendar in brackets)", "count", "median", "90th percentile", "longest", "in target"],
                       measures.map { name, stats in
                           [name, "\(stats.count)", pair(stats.business?.median, stats.calendar?.median), pair(stats.business?.p90,
                               stats.calendar?.p90),
                            pair(stats.business?.max, stats.calendar?.max), Self.percent(stats.withinTarget)]
                       }))
    }

    private func pair(_ business: Double?, _ calendar: Double?) -> String {
        business == nil ? "–" : "\(Self.duration(business)) (\(Self.duration(calendar)))"
    }

    private var replyTimes: Content {
        let bins = report.replyHistogram
        // One line per distinct target, naming every use case that has it.
        let byTarget = Dictionary(grouping: report.targets.filter { $0.firstResponse != nil }, by: { $0.firstResponse! })
        let markers = byTarget.keys.sorted().map { seconds in
            Charts.Marker(position: position(of: seconds, in: bins),
                          label: byTarget[seconds]!.map(\.useCase).joined(separator: ", ") + " " + Self.duration(seconds))
        }
        return .section(.h2("Response times"), Self.figure(
            "reply-times", "How long customers waited for a reply (business time), with each use case's first-reply target",
            chart: Charts.bars(label: "Histogram of reply times", categories: bins.map(\.label), series: [
                Charts.Series(name: "first replies", color: Charts.blue, values: bins.map { Double($0.firstReplies) }),
                Charts.Series(name: "later replies", color: Charts.orange, values: bins.map { Double($0.replies) }),
            ], xTitle: "business time to reply", yTitle: "replies", markers: markers),
            table: Self.table(["business time", "first replies", "later replies"], bins.map { [$0.label, "\($0.firstReplies)", "\($0.replies)"] })))
    }

    /// Where a duration falls on the histogram's category axis (bins are of unequal width).
    private func position(of seconds: Double, in bins: [Report.HistogramBin]) -> Double {
        for (index, bin) in bins.enumerated() {
            guard let to = bin.to else { return Double(index) }
            if seconds < to { return Double(index) + (seconds - bin.from) / (to - bin.from) }
        }
        return Double(bins.count)
    }

    private var volume: Content {
        let days = report.daily
        return .section(.h2("Volume"), Self.figure(
            "daily-volume", "Messages per day",
            chart: Charts.bars(label: "Messages in and out per day", categories: days.map { String($0.date.suffix(5)) }, series: [
                Charts.Series(name: "in", color: Charts.blue, values: days.map { Double($0.messagesIn) }),
                Charts.Series(name: "out", color: Charts.green, values: days.map { Double($0.messagesOut) }),
            ], xTitle: "day (\(zone.identifier))", yTitle: "messages"),
            table: Self.table(["day", "in", "out"], days.map { [$0.date, "\($0.messagesIn)", "\($0.messagesOut)"] })))
    }

    private var outcomes: Content {
        let useCases = report.outcomes.map(\.useCase).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let rows = useCases.map { useCase in
            (name: useCase, parts: report.outcomes.filter { $0.useCase == useCase }.map { (name: $0.outcome, share: $0.rate) })
        }
        return .section(.h2("Outcomes"), Self.figure(
            "outcomes", "What closed conversations came to, per use case",
            chart: Charts.shares(label: "Outcome rates per use case", rows: rows, xTitle: "share of the conversations closed"),
            table: Self.table(["use case", "outcome", "conversations", "share"],
                              report.outcomes.map { [$0.useCase, $0.outcome, "\($0.count)", Self.percent($0.rate)] })))
    }

    private var workload: Content {
        let agents = report.byAgent.filter { $0.messagesOut + $0.firstReply.count + $0.reply.count + $0.conversationsClosed > 0 }
        return .section(.h2("Agents"), Self.figure(
            "agent-workload", "Each agent's workload",
            chart: Charts.bars(label: "Messages sent, replies and closes per agent", categories: agents.map(\.key), series: [
                Charts.Series(name: "messages sent", color: Charts.blue, values: agents.map { Double($0.messagesOut) }),
                Charts.Series(name: "replies", color: Charts.orange, values: agents.map { Double($0.firstReply.count + $0.reply.count) }),
                Charts.Series(name: "conversations closed", color: Charts.green, values: agents.map { Double($0.conversationsClosed) }),
            ], xTitle: "agent", yTitle: "count"),
            table: Self.table(["agent", "sent", "replies", "closed", "median first reply", "first replies in target"], agents.map {
                [$0.key, "\($0.messagesOut)", "\($0.firstReply.count + $0.reply.count)", "\($0.conversationsClosed)",
                 Self.duration($0.firstReply.business?.median), Self.percent($0.firstReply.withinTarget)]
            })))
    }

    private var hourOfWeek: Content {
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        return .section(.h2("When customers write"), Self.figure(
            "hour-of-week", "Customer messages by hour of the week (\(zone.identifier))",
            chart: Charts.heatMap(label: "Customer messages by weekday and hour", grid: report.inboundByHourOfWeek, xTitle: "hour of day",
                                  yTitle: "weekday"),
            table: Self.table(["day"] + (0..<24).map { String(format: "%02d", $0) },
                              days.enumerated().map { [$1] + report.inboundByHourOfWeek[$0].map(String.init) }, grid: true)))
    }
}
