import ArgumentParser
import ParleyCore

/// Exit statuses scripts can rely on (README, "Exit status").
public enum ExitStatus {
    public static let failure: Int32 = 1
    public static let refused: Int32 = 3
    public static let gateway: Int32 = 4
    public static let inDoubt: Int32 = 5
    public static let awaitingApproval: Int32 = 6
    public static let usage: Int32 = 64
    public static let malformed: Int32 = 65
    public static let noMailbox: Int32 = 66
    public static let storage: Int32 = 74

    public static func of(_ error: ParleyError) -> Int32 {
        switch error {
        case .invalidInput: return usage
        case .malformed: return malformed
        case .noMailbox: return noMailbox
        case .notFound, .alreadyExists, .conflict: return failure
        case .storage: return storage
        case .gateway: return gateway
        case .inDoubt: return inDoubt
        case .refused: return refused
        case .awaitingApproval: return awaitingApproval
        }
    }
}

/// Runs a command body, printing a `ParleyError` as `parley: …` on stderr
/// and exiting with its status, so every command reports failures alike.
func reporting(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as ParleyError {
        Output.current.error("parley: " + error.description)
        throw ExitCode(ExitStatus.of(error))
    }
}

/// The preamble every mailbox command shares: failures reported as
/// `reporting` does, the context read from the environment, the mailbox
/// found and opened.
func withMailbox(_ repository: RepositoryOptions, _ body: (CommandContext, Mailbox) async throws -> Void) async throws {
    try await reporting {
        let context = try CommandContext()
        try await body(context, try context.openMailbox(repository))
    }
}
