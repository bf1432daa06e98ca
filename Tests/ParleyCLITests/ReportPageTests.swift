import Foundation
import ParleyTestSupport
import Testing

/// The sample mailbox's HTML report, opened in a real browser.
@Suite(.serialized, .enabled(if: Peers.shouldRun(Peers.chromium != nil), "needs Debian's chromium; .ci/run installs it"))
struct ReportPageTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    static let charts = ["reply-times", "daily-volume", "outcomes", "agent-workload", "hour-of-week", "evaluation"]

    @Test func theSampleMailboxsReportRendersInChromiumWithEveryChartAndNoConsoleError() throws {
        let chromium = try #require(Peers.chromium, "chromium is not installed")
        let directory = TemporaryDirectory("report-page")
        let mailbox = directory.file("bright-smile")
        let sample = URL(fileURLWithPath: ParleyBinary.path).deletingLastPathComponent().appendingPathComponent("parley-sample").path
        try Shell.run("\(Self.root)/scripts/sample-mailbox.sh", [mailbox], environment: ["PARLEY_SAMPLE": sample]).requireSuccess()
        let now = ["PARLEY_NOW": "2026-03-13T09:00:00-06:00"]
        try ParleyBinary.run(["outcome", "import", directory.file("appointments-feb-2026.csv"), "--value", "Show=attended"], in: mailbox,
                             environment: now).requireSuccess()
        let page = directory.file("report.html")
        try ParleyBinary.run(["report", "--since", "2026-02-01", "--html", page], in: mailbox, environment: now).requireSuccess()

        let flags = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--enable-logging=stderr", "--v=0",
                     "--user-data-dir=\(directory.file("chromium-profile"))"]
        let dom = try Shell.run(chromium, flags + ["--dump-dom", "file://\(page)"])
        try dom.requireSuccess()
        // Chromium logs the page's console (and any fetch the security policy refused) as CONSOLE lines.
        let consoleLines = dom.standardError.split(separator: "\n").filter { $0.contains("CONSOLE") || $0.contains("Refused to") }
        #expect(consoleLines.isEmpty, "console: \(consoleLines.joined(separator: "\n"))")
        for chart in Self.charts {
            let figure = try #require(Self.element("figure", id: chart, in: dom.standardOutput), "no figure \(chart)")
            #expect(figure.contains("<figcaption>") && figure.contains("<table"), "\(chart) lacks its title or table")
            #expect(figure.contains("<svg") && (figure.contains("<rect") || figure.contains("<circle")), "\(chart) draws nothing")
        }
        #expect(!dom.standardOutput.contains("<script"))

        let screenshot = directory.file("report.png")
        try Shell.run(chromium, flags + ["--window-size=1000,5600", "--screenshot=\(screenshot)", "file://\(page)"]).requireSuccess()
        let png = try #require(FileManager.default.contents(atPath: screenshot))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]) && png.count > 50_000)
        // Kept for a person to look at (and for docs/report.png when the page changes).
        try? FileManager.default.removeItem(atPath: "\(Self.root)/.build/report.png")
        try? FileManager.default.copyItem(atPath: screenshot, toPath: "\(Self.root)/.build/report.png")
    }

    /// The markup of the first `name` element with `id`, up to its closing tag (figures do not nest).
    static func element(_ name: String, id: String, in html: String) -> String? {
        guard let start = html.range(of: "<\(name) id=\"\(id)\""), let end = html.range(of: "</\(name)>", range: start.upperBound..<html.endIndex) else {
            return nil
        }
        return String(html[start.lowerBound..<end.upperBound])
    }
}
