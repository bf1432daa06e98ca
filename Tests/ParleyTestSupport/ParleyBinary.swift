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
        try result.requireSuccess()
    }

    /// A new mailbox in `directory`/`name` for Bright Smile Dental.
    public static func initMailbox(in directory: TemporaryDirectory, name: String = "clinic") throws -> String {
        let result = try run(["init", name, "--business", "Bright Smile Dental", "--number", "+1 312 555 0100", "--timezone", "America/Chicago"], in: directory.path)
        try result.requireSuccess()
        return directory.file(name)
    }
}

/// A command a test needed to succeed, and what it printed when it did not:
/// the test fails with it, the rest of the run goes on.
public struct CommandFailed: Error, CustomStringConvertible {
    public let status: Int32
    public let standardError: String
    public var description: String { "exited with status \(status): \(standardError)" }
}

extension Shell.Result {
    public func requireSuccess() throws {
        guard status == 0 else { throw CommandFailed(status: status, standardError: standardError) }
    }
}
