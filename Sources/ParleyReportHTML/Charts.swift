import Foundation
import ParleyCore
import Plot
import ParleyRendering

/// The report's charts as inline SVG: every one with its axes labelled and
/// a legend where there is more than one series. No script, no font or
/// image to fetch: the page reads the same offline and on paper.
enum Charts {
    typealias Content = SVG.Content

    struct Series {
        let name: String
        let color: String
        let values: [Double]
    }

    /// A line across the plot at `position` (in category units from the left edge), e.g. a target.
    struct Marker {
        let position: Double
        let label: String
    }

    static let blue = "#2b6cb0", orange = "#dd6b20", green = "#2f855a", grey = "#718096"
    static let palette = ["#2b6cb0", "#dd6b20", "#2f855a", "#b83280", "#805ad5", "#c05621", "#2c7a7b", "#718096"]

    private static let width = 680.0, left = 56.0, right = 16.0, top = 34.0

    /// Grouped vertical bars per category, with y ticks, axis titles, a legend and markers.
    static func bars(label: String, categories: [String], series: [Series], xTitle: String, yTitle: String, markers: [Marker] = []) -> Content {
        let height = 260.0, bottom = 58.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let maximum = niceMaximum(series.flatMap(\.values).max() ?? 0)
        let slot = plotWidth / Double(max(categories.count, 1))
        let barWidth = max(1, slot * 0.8 / Double(max(series.count, 1)))
        var nodes = axes(plotWidth: plotWidth, plotHeight: plotHeight, maximum: maximum, xTitle: xTitle, yTitle: yTitle, height: height)
        for (index, category) in categories.enumerated() {
            for (number, entry) in series.enumerated() {
                let value = entry.values[index]
                let barHeight = maximum > 0 ? value / maximum * plotHeight : 0
                nodes.append(SVG.rect(x: left + Double(index) * slot + slot * 0.1 + Double(number) * barWidth, y: top + plotHeight - barHeight,
                                      width: barWidth - 0.5, height: barHeight, fill: entry.color,
                                          title: "\(category): \(entry.name) \(format(value))"))
            }
            // Many categories (days of a month): label every few so the labels do not overlap.
            let every = max(1, Int((Double(categories.count) / 16).rounded(.up)))
            if index % every == 0 {
                nodes.append(SVG.text(category, x: left + (Double(index) + 0.5) * slot, y: top + plotHeight + 14, anchor: "middle", size: 10))
            }
        }
        for (index, marker) in markers.enumerated() {
            let x = left + marker.position * slot
            nodes.append(SVG.line(x, top - 4, x, top + plotHeight, stroke: "#c53030", dashed: true, width: 1.5))
            // Labels step down so neighbouring targets do not overlap.
            nodes.append(SVG.text(marker.label, x: x + 3, y: top + 8 + Double(index % 3) * 12, size: 10))
        }
        nodes += legend(series.map { ($0.name, $0.color) })
        return SVG.canvas(width: width, height: height, label: label, nodes)
    }

    /// One horizontal bar per row split into shares that add up to 100%.
    static func shares(label: String, rows: [(name: String, parts: [(name: String, share: Double)])], xTitle: String) -> Content {
        let rowHeight = 26.0, labelWidth = 120.0, top = Self.top + 10
        let names = rows.flatMap { $0.parts.map(\.name) }.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let colors = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, palette[$0 % palette.count]) })
        let plotWidth = width - labelWidth - right
        let height = top + Double(rows.count) * rowHeight + 40
        var nodes: [Content] = []
        for (index, row) in rows.enumerated() {
            let y = top + Double(index) * rowHeight
            nodes.append(SVG.text(row.name, x: labelWidth - 6, y: y + 16, anchor: "end"))
            var x = labelWidth
            for part in row.parts {
                nodes.append(SVG.rect(x: x, y: y + 4, width: part.share * plotWidth, height: rowHeight - 8, fill: colors[part.name]!,
                                      title: "\(row.name): \(part.name) \(percent(part.share))"))
                if part.share >= 0.08 { nodes.append(SVG.text(percent(part.share), x: x + 3, y: y + 17, size: 10)) }
                x += part.share * plotWidth
            }
        }
        let axisY = top + Double(rows.count) * rowHeight + 4
        nodes.append(SVG.line(labelWidth, axisY, labelWidth + plotWidth, axisY))
        for tick in stride(from: 0.0, through: 1.0, by: 0.25) {
            nodes.append(SVG.text(percent(tick), x: labelWidth + tick * plotWidth, y: axisY + 13, anchor: "middle", size: 10))
        }
        nodes.append(SVG.text(xTitle, x: labelWidth + plotWidth / 2, y: axisY + 30, anchor: "middle"))
        nodes += legend(names.map { ($0, colors[$0]!) })
        return SVG.canvas(width: width, height: height, label: label, nodes)
    }

    /// Seven rows by 24 hours, darker for more.
    static func heatMap(label: String, grid: [[Int]], xTitle: String, yTitle: String) -> Content {
        let cell = 24.0, labelWidth = 56.0, height = top + 7 * cell + 46
        let most = Double(grid.joined().max() ?? 0)
        var nodes: [Content] = []
        for (day, name) in ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].enumerated() {
            nodes.append(SVG.text(name, x: labelWidth - 6, y: top + Double(day) * cell + 16, anchor: "end"))
            for hour in 0..<24 {
                let count = grid[day][hour]
                nodes.append(SVG.rect(x: labelWidth + Double(hour) * cell, y: top + Double(day) * cell, width: cell - 1, height: cell - 1,
                                      fill: count == 0 ? "#edf2f7" : blue, title: "\(name) \(hour):00–\(hour + 1):00: \(count)",
                                      opacity: count == 0 ? nil : 0.15 + 0.85 * Double(count) / max(most, 1)))
            }
        }
        for hour in stride(from: 0, to: 24, by: 3) {
            nodes.append(SVG.text(String(format: "%02d", hour), x: labelWidth + Double(hour) * cell + cell / 2, y: top + 7 * cell + 14,
                anchor: "middle", size: 10))
        }
        nodes.append(SVG.text(xTitle, x: labelWidth + 12 * cell, y: top + 7 * cell + 32, anchor: "middle"))
        nodes.append(SVG.text(yTitle, x: 12, y: top + 3.5 * cell, anchor: "middle", rotate: true))
        nodes.append(SVG.text("darkest: \(Int(most))", x: labelWidth, y: 18, size: 10))
        return SVG.canvas(width: width, height: height, label: label, nodes)
    }

    /// A rate per row with its interval as a whisker, on a 0–100% axis.
    static func intervals(label: String, rows: [(name: String, rate: Double?, low: Double?, high: Double?)], xTitle: String) -> Content {
        let rowHeight = 28.0, labelWidth = 250.0
        let plotWidth = width - labelWidth - right
        let maximum = min(1, max(0.1, (rows.compactMap(\.high).max() ?? 0) * 1.1))
        let height = top + Double(rows.count) * rowHeight + 40
        var nodes: [Content] = []
        for (index, row) in rows.enumerated() {
            let y = top + Double(index) * rowHeight + rowHeight / 2
            nodes.append(SVG.text(row.name, x: labelWidth - 8, y: y + 4, anchor: "end", size: 10))
            guard let rate = row.rate, let low = row.low, let high = row.high else { continue }
            let scale = { (value: Double) in labelWidth + value / maximum * plotWidth }
            nodes.append(SVG.line(scale(low), y, scale(high), y, stroke: grey, width: 2))
            nodes.append(SVG.line(scale(low), y - 5, scale(low), y + 5, stroke: grey, width: 2))
            nodes.append(SVG.line(scale(high), y - 5, scale(high), y + 5, stroke: grey, width: 2))
            nodes.append(SVG.circle(x: scale(rate), y: y, radius: 4.5, fill: index == 0 ? orange : blue))
        }
        let axisY = top + Double(rows.count) * rowHeight + 4
        nodes.append(SVG.line(labelWidth, axisY, labelWidth + plotWidth, axisY))
        for step in 0...4 {
            let value = maximum * Double(step) / 4
            nodes.append(SVG.text(percent(value), x: labelWidth + Double(step) / 4 * plotWidth, y: axisY + 13, anchor: "middle", size: 10))
        }
        nodes.append(SVG.text(xTitle, x: labelWidth + plotWidth / 2, y: axisY + 30, anchor: "middle"))
        return SVG.canvas(width: width, height: height, label: label, nodes)
    }

    private static func axes(plotWidth: Double, plotHeight: Double, maximum: Double, xTitle: String, yTitle: String, height: Double) -> [Content] {
        var nodes = [SVG.line(left, top + plotHeight, left + plotWidth, top + plotHeight), SVG.line(left, top, left, top + plotHeight)]
        for step in 0...4 {
            let value = maximum * Double(step) / 4, y = top + plotHeight - Double(step) / 4 * plotHeight
            nodes.append(SVG.line(left - 4, y, left, y))
            nodes.append(SVG.text(format(value), x: left - 6, y: y + 4, anchor: "end", size: 10))
        }
        nodes.append(SVG.text(xTitle, x: left + plotWidth / 2, y: height - 24, anchor: "middle"))
        nodes.append(SVG.text(yTitle, x: 14, y: top + plotHeight / 2, anchor: "middle", rotate: true))
        return nodes
    }

    private static func legend(_ entries: [(String, String)]) -> [Content] {
        guard entries.count > 1 else { return [] }
        var nodes: [Content] = [], x = left, y = 4.0
        for (name, color) in entries {
            let entryWidth = 24 + Double(name.count) * 6
            // A long legend wraps onto a second line above the plot.
            if x + entryWidth > width - right { (x, y) = (left, y + 13) }
            nodes.append(SVG.rect(x: x, y: y, width: 10, height: 10, fill: color))
            nodes.append(SVG.text(name, x: x + 14, y: y + 9, size: 10))
            x += entryWidth
        }
        return nodes
    }

    /// 1, 2, 4 or 8 times a power of ten at or above `value`: its quarters are round ticks.
    static func niceMaximum(_ value: Double) -> Double {
        guard value > 0 else { return 4 }
        let power = pow(10, (log10(value)).rounded(.down))
        return [1, 2, 4, 8, 10].map { $0 * power }.first { $0 >= value } ?? value
    }

    static func format(_ value: Double) -> String { value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value) }
    static func percent(_ share: Double) -> String { ReportRenderer.percent(share) }
}
