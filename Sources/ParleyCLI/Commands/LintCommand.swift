import ArgumentParser
import Foundation
import ParleyCore

struct LintCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check a text against the tone guide and the segment rules.",
        discussion: """
            Findings are printed as line:column: rule: message. Exits 3 when a finding is
            an error (the send gate would refuse it).

            Examples:
              parley lint "Hi Sarah, ACT NOW and click here: bit.ly/x"
              parley lint message.txt
              parley lint --draft +13125550147 --json
              parley lint "It’s ready — see you" --smart-ascii
            """)

    @OptionGroup var repository: RepositoryOptions
    @Argument(help: "The text, or a file holding it.") var text: String?
    @Option(help: ArgumentHelp("Lint your draft for this number.", valueName: "number")) var draft: String?
    @Flag(help: "Lint (and print) the text with smart quotes and dashes replaced by ASCII.") var smartAscii = false
    @Flag(help: "Print findings, encoding and segment count as JSON.") var json = false

    func validate() throws {
        guard (text == nil) != (draft == nil) else { throw ValidationError("give a TEXT (or file) or --draft NUMBER") }
    }

    struct JSONShape: Encodable {
        let text: String
        let encoding: String
        let segments: Int
        let units: Int
        let nonGSMCharacters: [String]
        let findings: [LintFinding]
    }

    func run() async throws {
        try await withMailbox(repository) { context, mailbox in
            var body: String
            if let draft {
                body = try mailbox.templates.currentDraft(mailbox.parseNumber(draft)).body
            } else if let text, FileManager.default.fileExists(atPath: text), let data = FileManager.default.contents(atPath: text) {
                body = String(decoding: data, as: UTF8.self)
                if body.hasSuffix("\n") { body.removeLast() }
            } else {
                body = text ?? ""
            }
            if smartAscii { body = SmartASCII.apply(body) }
            let findings = Linter(guide: try mailbox.templates.toneGuide(), config: mailbox.config).lint(body)
            let segments = SegmentCount(body)
            if json {
                context.output.write(JSONOutput.encode(JSONShape(
                    text: body, encoding: segments.encoding.rawValue, segments: segments.segments, units: segments.units,
                    nonGSMCharacters: segments.nonGSMCharacters, findings: findings)))
            } else {
                if smartAscii { context.output.line(body) }
                for finding in findings { context.output.line(finding.description) }
                context.output.line(context.style.paint("\(segments.encoding.rawValue), \(segments.segments) "
                    + "segment\(segments.segments == 1 ? "" : "s"); "
                        + "\(findings.isEmpty ? "no findings" : "\(findings.count) finding\(findings.count == 1 ? "" : "s")")", .dim))
            }
            if findings.contains(where: { $0.level == .error }) { throw ExitCode(ExitStatus.refused) }
        }
    }
}
