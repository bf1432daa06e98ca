import Foundation

/// `parley serve` run as its own process, as an operator runs it: standard
/// output and error go to one log file the tests read while it runs.
public final class ServeProcess: @unchecked Sendable {
    public let process = Process()
    public let logPath: String

    /// Starts `parley serve ARGUMENTS` in `repo`; `environment` is added to the binary's test environment.
    public init(repo: String, arguments: [String], environment: [String: String], logPath: String) throws {
        self.logPath = logPath
        process.executableURL = URL(fileURLWithPath: ParleyBinary.path)
        process.arguments = ["serve"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: repo)
        process.environment = ParleyBinary.environment.merging(environment) { $1 }
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    public var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// The log once it contains `text`, or as it is after `seconds`.
    public func waitFor(_ text: String, seconds: Double = 20) async throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline, !log.contains(text) { try await Task.sleep(nanoseconds: 100_000_000) }
        return log
    }

    public func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}
