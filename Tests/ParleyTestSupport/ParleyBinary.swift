import Foundation

/// Runs the built `parley` executable the way a person would, with a
/// pinned clock, a fixed agent and no colour, and returns what it printed.
public enum ParleyBinary {
    public static var path: String {
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for directory in [besideTests, besideTests.deletingLastPathComponent()] {
            let candidate = directory.appendingPathComponent("parley").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/parley").path
    }

    public static let environment = [
        "PARLEY_NOW": "2026-03-09T09:00:00-05:00", "TZ": "America/Chicago", "PARLEY_AGENT": "dana",
        "GIT_AUTHOR_NAME": "Dana Ruiz", "GIT_AUTHOR_EMAIL": "dana@example.com", "NO_COLOR": "1", "PARLEY_REPO": "",
    ]

    @discardableResult
    public static func run(_ arguments: [String], in directory: String, environment extra: [String: String] = [:], input: String? = nil) throws -> Shell.Result {
        var environment = Self.environment
        for (key, value) in extra { environment[key] = value }
        return try Shell.run(path, arguments, in: directory, environment: environment, input: input)
    }

    /// Records web-form consent for `number`, as the send gate requires.
    public static func grantConsent(_ number: String, in repo: String) throws {
        let result = try run(["consent", "grant", number, "--disclosure", "I agree to receive appointment texts from Bright Smile Dental. Reply STOP to opt out.",
                              "--purpose", "appointment reminders", "--method", "web_form"], in: repo)
        precondition(result.status == 0, result.standardError)
    }

    /// A new mailbox in `directory`/`name` for Bright Smile Dental.
    public static func initMailbox(in directory: TemporaryDirectory, name: String = "clinic") throws -> String {
        let result = try run(["init", name, "--business", "Bright Smile Dental", "--number", "+1 312 555 0100", "--timezone", "America/Chicago"], in: directory.path)
        precondition(result.status == 0, result.standardError)
        return directory.file(name)
    }
}
